"""The MongoDB collections of the four domains and the indexes each one needs.

This module is the single map between the domains and the store: loaders, resolvers,
seed data and index creation all name collections through these constants, so a
reader can go from a GraphQL field to its collection and its index in one hop.

Every document's ``_id`` is an ``ObjectId``; references to other documents are
fields ending in ``_id`` holding that document's ``ObjectId``. Dates are UTC
``datetime`` values. The field list of each collection is in its docstring below.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pymongo import ASCENDING, IndexModel

# -- Park (网络园区) -------------------------------------------------------------
INSTITUTIONS = "institutions"
"""name, kind, city, province, joined_at — universities, colleges, training bodies."""
TEACHERS = "teachers"
"""institution_id, name, joined_at."""
COURSES = "courses"
"""institution_id, teacher_id, title, origin (SELF_BUILT/CO_BUILT/SHARED), launched_at."""
COURSE_RESOURCES = "course_resources"
"""course_id, kind (VIDEO/DOCUMENT/EXERCISE/LIVE_REPLAY), title, minutes, added_at."""
LEARNERS = "learners"
"""institution_id, name, city, registered_at."""
ASSIGNMENTS = "assignments"
"""course_id, teacher_id, title, set_at, due_at."""
SUBMISSIONS = "submissions"
"""assignment_id, learner_id, pair_key (assignment:learner, unique), submitted_at, content, score (null
until graded), history (every hand-in: submitted_at, content, op — the attempt that made it)."""
PARK_DAILY_ACTIVITY = "park_daily_activity"
"""date, visits, video_study_hours, submissions — the platform's daily counters."""

STUDY_RECORDS = "study_records"
"""learner_id, course_id, pair_key (learner:course, unique), minutes, updated_at, ops (recent attempts)."""

# -- Credit bank (学分银行) ------------------------------------------------------
CERTIFICATION_CENTRES = "certification_centres"
"""name, kind (UNIVERSITY/LOCAL/SECONDARY_VOCATIONAL_PILOT/SUB_CENTRE), city,
host_institution_id (null for local centres), established_at."""
CREDIT_ACCOUNTS = "credit_accounts"
"""learner_id (unique), opened_at, status (ACTIVE/DORMANT), national_id_hash (keyed HMAC,
unique), national_id_masked — accounts opened through the API only; never the number."""
LEARNING_OUTCOMES = "learning_outcomes"
"""account_id, learner_id, title, kind, status (DEPOSITED/RECOGNISED/CONVERTED),
credits, deposited_at, recognised_by (a certification centre's _id), recognised_at,
pending_conversion (only between the two writes of a conversion)."""
CREDIT_CONVERSIONS = "credit_conversions"
"""outcome_id, account_id, learner_id, credits, target_course_id or target_major_id, rule,
converted_at."""

# -- Alliance (联盟) -------------------------------------------------------------
ALLIANCES = "alliances"
"""name, kind (PUBLIC_ENGLISH/COOPERATION/DEGREE_LANGUAGE_ASSESSMENT/CROSS_PROVINCE),
status (ACTIVE/PLANNED), provinces, founded_at, description."""
ALLIANCE_MEMBERSHIPS = "alliance_memberships"
"""alliance_id, institution_id, joined_at."""
ALLIANCE_COMMITTEES = "alliance_committees"
"""alliance_id, name, focus."""
EXAM_SESSIONS = "exam_sessions"
"""year, season (SPRING/AUTUMN), host_institution_id, alliance_id (the organising alliance),
exam_date, capacity, booked, holders (learner ids holding a seat; len(holders) == booked)."""
EXAM_BOOKINGS = "exam_bookings"
"""session_id, learner_id, pair_key (session:learner, unique among BOOKED), province (of the
candidate's institution), year, status (BOOKED/CANCELLED/ATTENDED, or CANCELLING while a
cancellation gives its seat back), booked_at, cancelled_at."""
DEGREE_COURSE_PURCHASES = "degree_course_purchases"
"""learner_id, product, price_yuan, purchased_at."""

# -- Tutoring (自考助学) ---------------------------------------------------------
MAJORS = "majors"
"""code, name, level (ASSOCIATE/BACHELOR), chief_institution_id, established_at."""
TUTORING_COURSES = "tutoring_courses"
"""major_id, code, title, credits, added_at."""
TUTORING_ENROLMENTS = "tutoring_enrolments"
"""learner_id, major_id, pair_key (learner:major, unique), enrolled_at."""
TUTORING_COURSE_SELECTIONS = "tutoring_course_selections"
"""learner_id, tutoring_course_id, pair_key (learner:course, unique), enrolment_id, selected_at."""

# -- Service bookkeeping -------------------------------------------------------
IDEMPOTENCY_KEYS = "idempotency_keys"
"""operation, fingerprint (of the input), state (PENDING/DONE), response, created_at — the
first answer to a mutation sent with an idempotency key, replayed to its retries."""
SEED_META = "seed_meta"
"""One document describing the demo data currently loaded (seed number, scale)."""


PAIR_KEY = "pair_key"


def pair_key(first: object, second: object) -> str:
    """One string naming a pair of ids, for a single-field unique index on the pair.

    On MongoDB a compound unique index would do; mongoeco's SQLite engine (4.11) checks
    compound unique indexes in quadratic time (2,361 submissions: 127 s instead of 0.3 s),
    while single-field ones are fast, and this key works the same on both.
    """
    return f"{first}:{second}"


PAIRS: dict[str, tuple[str, str]] = {
    SUBMISSIONS: ("assignment_id", "learner_id"),
    TUTORING_ENROLMENTS: ("learner_id", "major_id"),
    TUTORING_COURSE_SELECTIONS: ("learner_id", "tutoring_course_id"),
    EXAM_BOOKINGS: ("session_id", "learner_id"),
}
"""The collections whose documents carry a ``pair_key``, and the two fields it names."""


@dataclass(frozen=True, slots=True)
class CollectionSpec:
    """A collection and the indexes its loaders, filters and sorts rely on."""

    name: str
    indexes: tuple[IndexModel, ...] = field(default_factory=tuple)


def _index(*fields: str, unique: bool = False) -> IndexModel:
    keys = [(name, ASCENDING) for name in fields]
    return IndexModel(keys, name="_".join(fields), unique=unique)


def _key(field: str) -> IndexModel:
    """The index of a key a loader reads by: the key, then ``_id``.

    On MongoDB it answers everything an index on the key alone does, and hands each
    key's documents over in ``_id`` order, the order every page and list is in. On the
    embedded server it is what keeps a batch cheap: mongoeco (4.11) answers ``$in`` over
    a single-field index with one correlated subquery per key and document (169 keys
    over 6,080 course resources: 5.6 s), and over a compound one with a plain filter
    (0.4 s). It keeps the key's name, so a database indexed before is migrated.
    """
    return IndexModel([(field, ASCENDING), ("_id", ASCENDING)], name=field)


# Every field a loader groups by, a filter matches or a sort orders on has an index
# here; a new loader key without one is a collection scan on a real MongoDB.
COLLECTIONS: tuple[CollectionSpec, ...] = (
    CollectionSpec(INSTITUTIONS, (_index("kind"), _index("city"), _index("name"), _index("joined_at"))),
    CollectionSpec(TEACHERS, (_key("institution_id"),)),
    CollectionSpec(
        COURSES,
        (_key("institution_id"), _key("teacher_id"), _index("title"), _index("origin"), _index("launched_at")),
    ),
    CollectionSpec(COURSE_RESOURCES, (_key("course_id"), _index("kind"), _index("added_at"))),
    CollectionSpec(LEARNERS, (_key("institution_id"), _index("name"), _index("registered_at"))),
    CollectionSpec(ASSIGNMENTS, (_key("course_id"), _index("set_at"))),
    CollectionSpec(
        SUBMISSIONS,
        (_key("learner_id"), _key("assignment_id"), _index(PAIR_KEY, unique=True), _index("submitted_at")),
    ),
    CollectionSpec(STUDY_RECORDS, (_key("learner_id"), _index(PAIR_KEY, unique=True))),
    CollectionSpec(PARK_DAILY_ACTIVITY, (_index("date", unique=True),)),
    CollectionSpec(
        CERTIFICATION_CENTRES,
        (_key("host_institution_id"), _index("kind"), _index("city"), _index("name"), _index("established_at")),
    ),
    CollectionSpec(
        CREDIT_ACCOUNTS,
        (
            _index("learner_id", unique=True),
            _index("opened_at"),
            # One account per person; seeded accounts carry no ID number, hence partial.
            IndexModel(
                [("national_id_hash", ASCENDING)],
                name="one_account_per_person",
                unique=True,
                partialFilterExpression={"national_id_hash": {"$exists": True}},
            ),
        ),
    ),
    CollectionSpec(
        LEARNING_OUTCOMES,
        (
            _key("account_id"),
            _key("learner_id"),
            _key("recognised_by"),
            _index("status"),
            _index("kind"),
            _index("deposited_at"),
        ),
    ),
    # An outcome converts once: at most one conversion per outcome.
    CollectionSpec(CREDIT_CONVERSIONS, (_index("outcome_id", unique=True), _key("learner_id"), _index("converted_at"))),
    CollectionSpec(ALLIANCES, (_index("kind"), _index("name"), _index("provinces"))),
    CollectionSpec(
        ALLIANCE_MEMBERSHIPS,
        (
            _index("alliance_id", "institution_id", unique=True),
            _key("alliance_id"),
            _key("institution_id"),
            _index("joined_at"),
        ),
    ),
    CollectionSpec(ALLIANCE_COMMITTEES, (_key("alliance_id"),)),
    CollectionSpec(EXAM_SESSIONS, (_index("year", "season"), _key("host_institution_id"), _key("alliance_id"))),
    CollectionSpec(
        EXAM_BOOKINGS,
        (
            _key("session_id"),
            _key("learner_id"),
            _index("year"),
            _index("province"),
            # At most one live booking per learner and session, whatever the races.
            IndexModel(
                [(PAIR_KEY, ASCENDING)],
                name="one_live_booking_per_learner_and_session",
                unique=True,
                partialFilterExpression={"status": "BOOKED"},
            ),
        ),
    ),
    CollectionSpec(DEGREE_COURSE_PURCHASES, (_key("learner_id"), _index("purchased_at"))),
    CollectionSpec(MAJORS, (_key("chief_institution_id"), _index("level"), _index("name"), _index("established_at"))),
    CollectionSpec(TUTORING_COURSES, (_key("major_id"), _index("added_at"))),
    CollectionSpec(
        TUTORING_ENROLMENTS,
        (_key("learner_id"), _key("major_id"), _index(PAIR_KEY, unique=True), _index("enrolled_at")),
    ),
    CollectionSpec(
        TUTORING_COURSE_SELECTIONS,
        (
            _key("learner_id"),
            _index(PAIR_KEY, unique=True),
            _key("enrolment_id"),
            _key("tutoring_course_id"),
            _index("selected_at"),
        ),
    ),
    # Keys are answered for a week, then MongoDB's TTL monitor removes them.
    CollectionSpec(
        IDEMPOTENCY_KEYS,
        (IndexModel([("created_at", ASCENDING)], name="expire_after_a_week", expireAfterSeconds=7 * 24 * 3600),),
    ),
    CollectionSpec(SEED_META),
)
