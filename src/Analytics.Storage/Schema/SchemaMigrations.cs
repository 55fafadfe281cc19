namespace Analytics.Storage.Schema;

/// <summary>
/// The versioned DuckDB schema. Each migration runs once, in order, inside one transaction together with the row
/// that records it in <c>schema_version</c>; a database is never left between two versions.
/// </summary>
internal static class SchemaMigrations
{
    /// <summary>Migrations by version, oldest first. Append only: a released migration is never edited.</summary>
    public static IReadOnlyList<(int Version, string Description, string Sql)> All { get; } =
    [
        (1, "event store: files, events, cases, case attributes, quarantine", """
            CREATE TABLE files (
                file_id         INTEGER PRIMARY KEY,
                path            VARCHAR NOT NULL,
                content_sha256  VARCHAR NOT NULL UNIQUE,
                size_bytes      BIGINT NOT NULL,
                format          VARCHAR NOT NULL,
                loaded_at       TIMESTAMPTZ NOT NULL,
                rows_read       BIGINT NOT NULL,
                events_added    BIGINT NOT NULL,
                events_overlapping BIGINT NOT NULL,
                cases_added     BIGINT NOT NULL,
                quarantined     BIGINT NOT NULL
            );
            -- One row per event. ts is an instant (UTC); (file_id, seq) is the position in the source file and breaks
            -- timestamp ties, so a stable sort on ts keeps file order.
            CREATE TABLE events (
                case_id     VARCHAR NOT NULL,
                activity    VARCHAR NOT NULL,
                ts          TIMESTAMPTZ NOT NULL,
                resource    VARCHAR,
                role        VARCHAR,
                lifecycle   VARCHAR,
                attributes  VARCHAR,   -- a JSON object as text
                file_id     INTEGER NOT NULL,
                seq         BIGINT NOT NULL
            );
            CREATE TABLE cases (
                case_id     VARCHAR NOT NULL,
                file_id     INTEGER NOT NULL
            );
            -- Typed case attributes: exactly one of the value columns is set, as named by value_type
            -- ('string', 'number', 'boolean', 'timestamp').
            CREATE TABLE case_attributes (
                case_id      VARCHAR NOT NULL,
                key          VARCHAR NOT NULL,
                value_type   VARCHAR NOT NULL,
                text_value   VARCHAR,
                number_value DOUBLE,
                bool_value   BOOLEAN,
                time_value   TIMESTAMPTZ,
                file_id      INTEGER NOT NULL
            );
            -- Rows of loaded files that could not become events, with the reason; nothing is dropped silently.
            CREATE TABLE quarantine (
                file_id     INTEGER NOT NULL,
                line        BIGINT,
                reason      VARCHAR NOT NULL,
                case_id     VARCHAR,
                activity    VARCHAR,
                timestamp_text VARCHAR,
                raw         VARCHAR
            );
            """),
        (2, "SPC signals written by the monitor", """
            -- One row per signal a monitored chart raised at a point; the same signal at the same point is recorded once.
            CREATE TABLE spc_signals (
                detected_at  TIMESTAMPTZ NOT NULL,
                chart_key    VARCHAR NOT NULL,
                metric       VARCHAR NOT NULL,
                node         VARCHAR,
                segment      VARCHAR,
                chart        VARCHAR NOT NULL,
                transform    VARCHAR NOT NULL,
                test         INTEGER NOT NULL,
                signal       VARCHAR NOT NULL,
                point_label  VARCHAR NOT NULL,
                point_index  INTEGER NOT NULL,
                phase        VARCHAR NOT NULL,
                value        DOUBLE NOT NULL,
                center       DOUBLE NOT NULL,
                lcl          DOUBLE NOT NULL,
                ucl          DOUBLE NOT NULL,
                meaning      VARCHAR NOT NULL
            );
            """),
        (3, "integer case numbers on cases and events, for fast ordering and counting of cases", """
            ALTER TABLE cases ADD COLUMN case_no INTEGER;
            UPDATE cases SET case_no = n.case_no FROM (SELECT case_id, row_number() OVER (ORDER BY file_id, case_id) AS case_no FROM cases) n
                WHERE cases.case_id = n.case_id;
            ALTER TABLE events ADD COLUMN case_no INTEGER;
            UPDATE events SET case_no = c.case_no FROM cases c WHERE c.case_id = events.case_id;
            """),
        (4, "model registry for the review-need model", """
            -- One row per trained model version; exactly one may be active. The ML.NET pipeline is stored as its zip.
            CREATE TABLE models (
                version      INTEGER PRIMARY KEY,
                created_at   TIMESTAMPTZ NOT NULL,
                kind         VARCHAR NOT NULL,
                config       VARCHAR NOT NULL,
                feature_space VARCHAR NOT NULL,
                platt_a      DOUBLE NOT NULL,
                platt_b      DOUBLE NOT NULL,
                threshold    DOUBLE NOT NULL,
                metrics      VARCHAR NOT NULL,
                pipeline     BLOB NOT NULL,
                active       BOOLEAN NOT NULL
            );
            """),
        (5, "routing suggestions and the notification outbox", """
            -- One suggestion per case and model version, made when the case reached the decision point.
            CREATE TABLE routing_suggestions (
                case_id       VARCHAR NOT NULL,
                model_version INTEGER NOT NULL,
                decided_at    TIMESTAMPTZ NOT NULL,
                route         VARCHAR NOT NULL,
                probability   DOUBLE,
                why           VARCHAR NOT NULL,
                reasons       VARCHAR NOT NULL,
                created_at    TIMESTAMPTZ NOT NULL,
                PRIMARY KEY (case_id, model_version)
            );
            -- Messages to deliver by webhook; a message stays until its endpoint accepted it.
            CREATE TABLE outbox (
                id              BIGINT PRIMARY KEY,
                kind            VARCHAR NOT NULL,
                idempotency_key VARCHAR NOT NULL UNIQUE,
                payload         VARCHAR NOT NULL,
                created_at      TIMESTAMPTZ NOT NULL,
                attempts        INTEGER NOT NULL,
                next_attempt_at TIMESTAMPTZ NOT NULL,
                delivered_at    TIMESTAMPTZ,
                last_error      VARCHAR
            );
            """),
        (6, "the process profile, versioned", """
            -- What the store's process is (calendar, roles, review node, SLA, …) as JSON, one row per version. A row is
            -- 'suggested' (proposed from the log, with its evidence) until a person accepts it; the newest accepted row
            -- is the profile every analysis reads.
            CREATE TABLE process_profiles (
                version     INTEGER PRIMARY KEY,
                created_at  TIMESTAMPTZ NOT NULL,
                state       VARCHAR NOT NULL,   -- suggested, accepted
                source      VARCHAR NOT NULL,   -- suggest, set FILE, accept of vN
                profile     VARCHAR NOT NULL,
                evidence    VARCHAR,
                accepted_at TIMESTAMPTZ
            );
            """),
        (7, "UTC offsets the timestamps of each file carried, per month", """
            -- Evidence of the zone the data was written in: timestamps per file, month (yyyymm) and offset in minutes.
            -- Naive timestamps and typed ones (Parquet) carry none and are not counted.
            CREATE TABLE file_offsets (
                file_id        INTEGER NOT NULL,
                year_month     INTEGER NOT NULL,
                offset_minutes INTEGER NOT NULL,
                timestamps     BIGINT NOT NULL
            );
            """),
        (8, "follow-up work owed after a load", """
            -- A file loaded by the worker owes its follow-up (the SPC monitor, routing its orders, notifications): the row
            -- is written in the load's own transaction and deleted once the follow-up is done, so a kill in between
            -- leaves it to be picked up on the next start.
            CREATE TABLE pending_followups (
                file_id    INTEGER PRIMARY KEY,
                created_at TIMESTAMPTZ NOT NULL
            );
            """),
    ];

    /// <summary>The newest version this build knows.</summary>
    public static int Latest => All[^1].Version;
}
