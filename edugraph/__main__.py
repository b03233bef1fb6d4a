from edugraph.cli import main

raise SystemExit(main())
