from bench.floor.app import main

raise SystemExit(main())
