// @generated automatically by Diesel CLI.

diesel::table! {
    /// Open311 API keys issued to users
    api_keys (id) {
        /// Surrogate key
        id -> Unsigned<Bigint>,
        /// The user requests made with this key are reported as
        user_id -> Unsigned<Bigint>,
        /// SHA-256 (hex) of the key; the key itself is shown once and never stored
        #[max_length = 64]
        key_hash -> Char,
        /// When it was issued (UTC)
        created_at -> Datetime,
    }
}

diesel::table! {
    /// Append-only record of every staff action
    audit_log (id) {
        /// Surrogate key, also the order of events
        id -> Unsigned<Bigint>,
        /// Who acted; NULL for the system
        actor_user_id -> Nullable<Unsigned<Bigint>>,
        /// Stable action name, e.g. role.grant
        #[max_length = 64]
        action -> Varchar,
        /// Kind of the object acted on, e.g. user, department
        #[max_length = 32]
        target_kind -> Varchar,
        /// Id of the object acted on
        target_id -> Nullable<Unsigned<Bigint>>,
        /// JSON object with the particulars of the action
        details -> Text,
        /// When (UTC)
        created_at -> Datetime,
    }
}

diesel::table! {
    /// Who blocked whom
    blocks (blocker_id, blocked_id) {
        /// Who blocked
        blocker_id -> Unsigned<Bigint>,
        /// Whom
        blocked_id -> Unsigned<Bigint>,
        /// When (UTC)
        created_at -> Datetime,
    }
}

diesel::table! {
    /// Known city problems published for citizens to propose solutions to
    challenges (id) {
        /// Surrogate key
        id -> Unsigned<Bigint>,
        /// The municipality it concerns; NULL for the whole region
        municipality_id -> Nullable<Unsigned<Bigint>>,
        /// Its theme
        theme_id -> Unsigned<Bigint>,
        /// The department that owns it and answers its solutions; NULL when the moderators do
        department_id -> Nullable<Unsigned<Bigint>>,
        /// Title, as typed
        #[max_length = 200]
        title -> Varchar,
        /// The problem and what is asked for, as typed
        #[max_length = 8000]
        description -> Varchar,
        /// Its place on the map, when it has one: a canonical GeoJSON Point, MultiPoint, LineString or Polygon
        area_geojson -> Nullable<Mediumtext>,
        /// The last day (region time) solutions can be proposed
        proposals_until -> Date,
        /// How many solutions were proposed
        solution_count -> Unsigned<Integer>,
        /// Who published it
        author_id -> Unsigned<Bigint>,
        /// When it was published (UTC)
        created_at -> Datetime,
        /// When it last changed (UTC)
        updated_at -> Datetime,
        /// When a moderator hid it (UTC); hidden challenges leave every list
        hidden_at -> Nullable<Datetime>,
        /// Why, as its author reads it
        #[max_length = 500]
        hidden_reason -> Nullable<Varchar>,
    }
}

diesel::table! {
    /// Users' reports of comments to the moderators, one per person and comment
    comment_reports (comment_id, reporter_id) {
        /// The reported comment
        comment_id -> Unsigned<Bigint>,
        /// Who reported it
        reporter_id -> Unsigned<Bigint>,
        /// Why, in the reporter's words
        #[max_length = 500]
        reason -> Varchar,
        /// When (UTC)
        created_at -> Datetime,
    }
}

diesel::table! {
    /// Comments on any subject
    comments (id) {
        /// Surrogate key, also the order of a discussion
        id -> Unsigned<Bigint>,
        /// Kind of the commented subject, e.g. problem
        #[max_length = 32]
        subject_kind -> Varchar,
        /// Id of the commented subject
        subject_id -> Unsigned<Bigint>,
        /// The comment that opens the thread this one answers; NULL for a comment that opens one
        reply_to -> Nullable<Unsigned<Bigint>>,
        /// Who wrote it
        author_id -> Unsigned<Bigint>,
        /// The comment (at most 2000 characters)
        body -> Text,
        /// for, against or neutral where the discussion asks for a position; NULL elsewhere
        #[max_length = 8]
        position -> Nullable<Varchar>,
        /// Rows in supports for it (subject kind comment), kept in the same transaction
        support_count -> Unsigned<Integer>,
        /// When (UTC)
        created_at -> Datetime,
        /// Number of rows in comment_reports, kept in the same transaction
        report_count -> Unsigned<Integer>,
        /// When a moderator hid it (UTC); NULL while shown
        hidden_at -> Nullable<Datetime>,
        /// The moderator who hid it
        hidden_by -> Nullable<Unsigned<Bigint>>,
        /// Why it was hidden; shown in its place
        #[max_length = 500]
        hidden_reason -> Nullable<Varchar>,
    }
}

diesel::table! {
    /// The public history of every registry entry
    construction_changes (id) {
        /// Surrogate key
        id -> Unsigned<Bigint>,
        /// The registry entry
        construction_id -> Unsigned<Bigint>,
        /// created or updated
        #[max_length = 16]
        kind -> Varchar,
        /// Changed fields: an array of {field, before, after} (before is null on creation)
        changes -> Longtext,
        /// The official who made the change
        user_id -> Nullable<Unsigned<Bigint>>,
        /// The import that made the change, if any
        import_id -> Nullable<Unsigned<Bigint>>,
        /// When (UTC)
        changed_at -> Datetime,
    }
}

diesel::table! {
    /// The public history of a construction report
    construction_report_events (id) {
        /// Surrogate key
        id -> Unsigned<Bigint>,
        /// The report
        report_id -> Unsigned<Bigint>,
        /// The status the report entered
        #[max_length = 24]
        status -> Varchar,
        /// Who made the step
        actor_id -> Nullable<Unsigned<Bigint>>,
        /// Findings or measures written with the step
        body -> Nullable<Text>,
        /// When (UTC)
        at -> Datetime,
    }
}

diesel::table! {
    /// Construction reports per month, municipality and department, for the dashboard
    construction_report_stats (month, municipality_id, department_id) {
        /// First day of the month the reports were submitted in
        month -> Date,
        /// Municipality of the reports
        municipality_id -> Unsigned<Bigint>,
        /// Supervision department they are routed to
        department_id -> Unsigned<Bigint>,
        /// Reports submitted in the month
        reports -> Unsigned<Integer>,
        /// Of those, with a confirmed violation (confirmed or measures taken)
        confirmed -> Unsigned<Integer>,
    }
}

diesel::table! {
    /// Citizens' reports of illegal construction and their published verification
    construction_reports (id) {
        /// Surrogate key; the report's public number
        id -> Unsigned<Bigint>,
        /// not_in_registry or differs_from_permit
        #[max_length = 24]
        kind -> Varchar,
        /// The registry entry it is about (differs_from_permit only)
        construction_id -> Nullable<Unsigned<Bigint>>,
        /// floors, footprint, use or location (differs_from_permit only)
        #[max_length = 16]
        aspect -> Nullable<Varchar>,
        /// Latitude of the construction
        lat -> Double,
        /// Longitude of the construction
        lon -> Double,
        /// Municipality of the point
        municipality_id -> Unsigned<Bigint>,
        /// Address text, as the reporter gave it
        #[max_length = 500]
        address -> Varchar,
        /// What the reporter saw
        description -> Text,
        /// Who reported
        author_id -> Unsigned<Bigint>,
        /// The supervision department it is routed to
        department_id -> Unsigned<Bigint>,
        /// submitted, under_verification, violation_confirmed, not_confirmed or measures_taken
        #[max_length = 24]
        status -> Varchar,
        /// Date of the inspection (published)
        verified_on -> Nullable<Date>,
        /// The inspector's findings (published)
        findings -> Nullable<Text>,
        /// The inspection act as a PDF in the media directory (<key>.pdf), if attached
        #[max_length = 64]
        act_file_key -> Nullable<Varchar>,
        /// Measures taken: order, fine, court, demolition (published)
        measures -> Nullable<Text>,
        /// When it was submitted (UTC)
        created_at -> Datetime,
        /// When its status last changed (UTC)
        updated_at -> Datetime,
    }
}

diesel::table! {
    /// The public registry of permitted constructions
    constructions (id) {
        /// Surrogate key
        id -> Unsigned<Bigint>,
        /// Registry number, unique; the key the Excel import matches on
        #[max_length = 64]
        registry_number -> Varchar,
        /// What is built
        #[max_length = 500]
        object_name -> Varchar,
        /// Address text
        #[max_length = 500]
        address -> Varchar,
        /// Latitude (WGS84)
        lat -> Double,
        /// Longitude (WGS84)
        lon -> Double,
        /// The municipality it is in
        municipality_id -> Unsigned<Bigint>,
        /// The developer
        #[max_length = 500]
        developer_name -> Varchar,
        /// The developer's INN (10 or 12 digits, checksum valid)
        #[max_length = 12]
        developer_inn -> Varchar,
        /// Building permit number
        #[max_length = 64]
        permit_number -> Varchar,
        /// Date the permit was issued
        permit_date -> Date,
        /// Who issued the permit
        #[max_length = 500]
        permit_issuer -> Varchar,
        /// Permitted use
        #[max_length = 255]
        permitted_use -> Varchar,
        /// Floors above ground, when known
        floors -> Nullable<Unsigned<Smallint>>,
        /// Total area in square metres, when known
        total_area_m2 -> Nullable<Double>,
        /// Planned completion, when known
        planned_completion -> Nullable<Date>,
        /// permit_issued, under_construction, commissioned, suspended or revoked
        #[max_length = 24]
        status -> Varchar,
        /// Approved footprint as a GeoJSON Polygon geometry, when known
        footprint -> Nullable<Longtext>,
        /// Public citizens' reports about it (kept with the reports)
        report_count -> Unsigned<Integer>,
        /// Reports with a confirmed violation
        violation_count -> Unsigned<Integer>,
        /// When the entry was added (UTC)
        created_at -> Datetime,
        /// When the entry last changed (UTC)
        updated_at -> Datetime,
    }
}

diesel::table! {
    /// Reports of publications, profiles and messages to the moderators
    content_reports (id) {
        /// Surrogate key
        id -> Unsigned<Bigint>,
        /// What is reported: publication, person or message
        #[max_length = 32]
        subject_kind -> Varchar,
        /// Its id
        subject_id -> Unsigned<Bigint>,
        /// Who reported it
        reporter_id -> Unsigned<Bigint>,
        /// Why, in the reporter's words
        #[max_length = 500]
        reason -> Varchar,
        /// When (UTC)
        created_at -> Datetime,
        /// The decision that answered it; NULL while it waits in the queue
        decision_id -> Nullable<Unsigned<Bigint>>,
    }
}

diesel::table! {
    /// The two members of each conversation, with what each has read
    conversation_members (conversation_id, user_id) {
        /// The conversation
        conversation_id -> Unsigned<Bigint>,
        /// One of its two members
        user_id -> Unsigned<Bigint>,
        /// Messages of the other member after the last one this member read
        unread -> Unsigned<Integer>,
        /// The newest message this member has read
        last_read_message_id -> Unsigned<Bigint>,
        /// The conversation's newest message: the order of the member's list
        last_message_id -> Unsigned<Bigint>,
    }
}

diesel::table! {
    /// Conversations between two people
    conversations (id) {
        /// Surrogate key
        id -> Unsigned<Bigint>,
        /// The two members' ids, smaller first, and the problem's id when bound to one: one conversation per pair and topic
        #[max_length = 64]
        pair_key -> Varchar,
        /// The problem an official opened it about; NULL for a personal conversation
        problem_id -> Nullable<Unsigned<Bigint>>,
        /// Who wrote first
        started_by -> Unsigned<Bigint>,
        /// When (UTC)
        created_at -> Datetime,
    }
}

diesel::table! {
    /// How fresh the dashboard's aggregates are
    dashboard_refreshes (id) {
        /// Always 1: the one row
        id -> Unsigned<Tinyint>,
        /// The aggregates hold every change committed before this time (UTC)
        refreshed_at -> Datetime,
        /// The day of the last full rebuild (one a day catches any change no event names)
        rebuilt_on -> Date,
    }
}

diesel::table! {
    /// Citizens' requests for new open datasets and the moderators' answers (public)
    dataset_requests (id) {
        /// Surrogate key
        id -> Unsigned<Bigint>,
        /// The citizen who asked
        user_id -> Unsigned<Bigint>,
        /// What data is wanted, in a line
        #[max_length = 300]
        title -> Varchar,
        /// Why, and in what form
        details -> Text,
        /// The moderators' public answer
        answer -> Nullable<Text>,
        /// The moderator who answered
        answered_by -> Nullable<Unsigned<Bigint>>,
        /// The dataset that answers the request, when one does
        dataset_id -> Nullable<Unsigned<Bigint>>,
        /// When it was asked (UTC)
        created_at -> Datetime,
        /// When it was answered (UTC)
        answered_at -> Nullable<Datetime>,
    }
}

diesel::table! {
    /// Sort and filter keys of every cell of every published version, in key order
    dataset_row_keys (version_id, column_no, has_value, number_key, text_key, row_no) {
        /// The version the cell belongs to
        version_id -> Unsigned<Bigint>,
        /// Position of the cell's column in the structure, from 0
        column_no -> Unsigned<Smallint>,
        /// 0 when the cell is null (nulls sort first), else 1
        has_value -> Bool,
        /// The value of an integer, float, date (YYYYMMDD) or boolean (0/1) cell; 0 for nulls and text
        number_key -> Double,
        /// The first 64 characters of a text cell (equality is rechecked on the whole cell); empty for nulls and other types
        #[max_length = 64]
        text_key -> Varchar,
        /// The row (dataset_rows.row_no): the tie-break of equal keys
        row_no -> Unsigned<Integer>,
    }
}

diesel::table! {
    /// The rows of every published version
    dataset_rows (version_id, row_no) {
        /// The version the row belongs to
        version_id -> Unsigned<Bigint>,
        /// Position in the version, from 1: the key of keyset paging and streaming
        row_no -> Unsigned<Integer>,
        /// The row's values in structure order: a JSON array of strings, numbers, booleans and nulls (dates as YYYY-MM-DD)
        cells -> Longtext,
    }
}

diesel::table! {
    /// Structure versions of datasets; a new one only when the columns change
    dataset_structures (id) {
        /// Surrogate key
        id -> Unsigned<Bigint>,
        /// The dataset
        dataset_id -> Unsigned<Bigint>,
        /// The structure version (structure-YYYYMMDD)
        version -> Date,
        /// Ordered columns: a JSON array of {name, english, russian, kind}
        fields -> Longtext,
        /// Index of the latitude column, when the data has coordinates
        latitude_column -> Nullable<Unsigned<Smallint>>,
        /// Index of the longitude column, when the data has coordinates
        longitude_column -> Nullable<Unsigned<Smallint>>,
        /// When this structure was first published (UTC)
        created_at -> Datetime,
    }
}

diesel::table! {
    /// Files moderators upload as new versions of uploaded datasets; the file itself is kept in the import directory until published or discarded
    dataset_uploads (id) {
        /// Surrogate key
        id -> Unsigned<Bigint>,
        /// The uploaded dataset the file is for
        dataset_id -> Unsigned<Bigint>,
        /// The moderator who uploaded it
        uploaded_by -> Unsigned<Bigint>,
        /// The file's name on the moderator's computer (shown, never used as a path)
        #[max_length = 255]
        file_name -> Varchar,
        /// csv or xlsx (xls too): sniffed from the bytes, not the name
        #[max_length = 8]
        file_kind -> Varchar,
        /// SHA-256 (hex) of the stored file
        #[max_length = 64]
        sha256 -> Char,
        /// Data rows below the header
        row_count -> Unsigned<Integer>,
        /// The structure inferred from the file: the editor's starting point
        proposed_structure -> Longtext,
        /// staged (waiting for the structure to be confirmed), published, or discarded
        #[max_length = 16]
        status -> Varchar,
        /// The version it became, once published
        version_id -> Nullable<Unsigned<Bigint>>,
        /// When it was uploaded (UTC)
        created_at -> Datetime,
    }
}

diesel::table! {
    /// Published, immutable versions of datasets
    dataset_versions (id) {
        /// Surrogate key
        id -> Unsigned<Bigint>,
        /// The dataset
        dataset_id -> Unsigned<Bigint>,
        /// The data version (data-YYYYMMDD-...): at most one per day
        version -> Date,
        /// The structure the rows follow
        structure_id -> Unsigned<Bigint>,
        /// Passport: what this version changed
        #[max_length = 500]
        provenance -> Varchar,
        /// Passport: the date until which this version is current
        valid_until -> Date,
        /// Rows in this version
        row_count -> Unsigned<Integer>,
        /// SHA-256 (hex) of the rows, so an unchanged dataset is not published again
        #[max_length = 64]
        content_sha256 -> Char,
        /// When it was published (UTC); published versions never change
        published_at -> Datetime,
    }
}

diesel::table! {
    /// Open datasets and their passports (Russian methodological recommendations v3.0)
    datasets (id) {
        /// Surrogate key
        id -> Unsigned<Bigint>,
        /// INN of the organisation that owns the dataset: the first part of its identifier
        #[max_length = 12]
        publisher_inn -> Varchar,
        /// The second part of the identifier <INN>-<code>: lowercase Latin letters, digits and hyphens
        #[max_length = 87]
        code -> Varchar,
        /// live (published from the portal's own tables by code) or uploaded (files a moderator uploads)
        #[max_length = 16]
        source -> Varchar,
        /// For live datasets: the name of the definition in code that publishes it
        #[max_length = 64]
        live_key -> Nullable<Varchar>,
        /// Passport: title, in Russian
        #[max_length = 500]
        title_ru -> Varchar,
        /// Title in English
        #[max_length = 500]
        title_en -> Varchar,
        /// Passport: description, in Russian
        description_ru -> Text,
        /// Description in English
        description_en -> Text,
        /// Passport: the owning organisation, as named in the passport
        #[max_length = 500]
        creator -> Varchar,
        /// Passport: keywords, comma separated
        #[max_length = 1000]
        subject -> Varchar,
        /// Passport: the responsible person (full name, optionally the post)
        #[max_length = 255]
        publisher_name -> Varchar,
        /// Passport: the responsible person's phone
        #[max_length = 32]
        publisher_phone -> Varchar,
        /// Passport: the responsible person's e-mail
        #[max_length = 254]
        publisher_mbox -> Varchar,
        /// Days a published version stays current (the passport's valid date is publication + this)
        valid_days -> Unsigned<Integer>,
        /// When the dataset was defined (UTC)
        created_at -> Datetime,
        /// When its passport last changed (UTC)
        updated_at -> Datetime,
    }
}

diesel::table! {
    /// Department systems' bearer tokens for the answers API
    department_tokens (id) {
        /// Surrogate key
        id -> Unsigned<Bigint>,
        /// The department whose problems and reports the token acts on
        department_id -> Unsigned<Bigint>,
        /// The integration account its actions are recorded as
        account_id -> Unsigned<Bigint>,
        /// The system it was issued to, as the admin named it
        #[max_length = 100]
        name -> Varchar,
        /// SHA-256 (hex) of the token; the token is shown once and never stored
        #[max_length = 64]
        token_hash -> Char,
        /// The admin who issued it
        issued_by -> Nullable<Unsigned<Bigint>>,
        /// When it was issued (UTC)
        issued_at -> Datetime,
        /// The last request made with it, to the minute (UTC)
        last_used_at -> Nullable<Datetime>,
        /// When an admin revoked it (UTC); a revoked token is refused
        revoked_at -> Nullable<Datetime>,
    }
}

diesel::table! {
    /// Departments' webhook endpoints for their document-flow systems
    department_webhooks (department_id) {
        /// The department whose system receives the events
        department_id -> Unsigned<Bigint>,
        /// Where events are POSTed (http or https)
        #[max_length = 500]
        url -> Varchar,
        /// Shared key of the HMAC-SHA256 signature
        #[max_length = 128]
        secret -> Varchar,
        /// Space-separated kinds delivered, e.g. problem.routed problem.overdue
        #[max_length = 1000]
        event_kinds -> Varchar,
        /// Inactive endpoints get no new events
        is_active -> Bool,
        /// Last change (UTC)
        updated_at -> Datetime,
        /// The admin who changed it last
        updated_by -> Nullable<Unsigned<Bigint>>,
    }
}

diesel::table! {
    /// Government bodies that receive and answer citizens' reports
    departments (id) {
        /// Surrogate key
        id -> Unsigned<Bigint>,
        /// Stable Latin identifier used in URLs and open data
        #[max_length = 64]
        slug -> Varchar,
        /// Name in Russian
        #[max_length = 255]
        name_ru -> Varchar,
        /// Name in English
        #[max_length = 255]
        name_en -> Varchar,
        /// regional (a ministry or agency of the Krai) or municipal (part of one municipality)
        #[max_length = 16]
        level -> Varchar,
        /// The municipality of a municipal department; NULL for regional ones
        municipality_id -> Nullable<Unsigned<Bigint>>,
        /// Public contact e-mail
        #[max_length = 254]
        email -> Nullable<Varchar>,
        /// Public contact phone
        #[max_length = 32]
        phone -> Nullable<Varchar>,
        /// Inactive departments receive no new work
        is_active -> Bool,
        /// The regional department that receives escalations of this department's overdue problems; NULL for none
        supervisor_id -> Nullable<Unsigned<Bigint>>,
    }
}

diesel::table! {
    /// Who follows a subject (an author follows their own from the start)
    follows (subject_kind, subject_id, user_id) {
        /// Kind of the followed subject, e.g. problem
        #[max_length = 32]
        subject_kind -> Varchar,
        /// Id of the followed subject
        subject_id -> Unsigned<Bigint>,
        /// The follower, notified of every official step
        user_id -> Unsigned<Bigint>,
        /// When (UTC)
        created_at -> Datetime,
    }
}

diesel::table! {
    /// People's photo albums
    galleries (id) {
        /// Surrogate key
        id -> Unsigned<Bigint>,
        /// Whose album it is
        owner_id -> Unsigned<Bigint>,
        /// Its title, as typed
        #[max_length = 120]
        title -> Varchar,
        /// What it is about, as typed; may be empty
        description -> Text,
        /// Who sees it: public (everyone) or followers (the owner's followers)
        #[max_length = 16]
        audience -> Varchar,
        /// Random key of the share link: whoever holds it sees the album; the owner may replace it
        #[max_length = 32]
        share_key -> Char,
        /// Its photos, counted in the transaction that adds or removes one
        photo_count -> Unsigned<Integer>,
        /// When it was made (UTC)
        created_at -> Datetime,
        /// When it last changed (UTC)
        updated_at -> Datetime,
        /// When a moderator hid it (UTC); a hidden album is its owner's alone
        hidden_at -> Nullable<Datetime>,
        /// Why, as its owner reads it
        #[max_length = 500]
        hidden_reason -> Nullable<Varchar>,
    }
}

diesel::table! {
    /// The catalogue of government services citizens rate
    gov_services (id) {
        /// Surrogate key
        id -> Unsigned<Bigint>,
        /// Stable Latin identifier used in open data
        #[max_length = 64]
        slug -> Varchar,
        /// Name in Russian
        #[max_length = 255]
        name_ru -> Varchar,
        /// Name in English
        #[max_length = 255]
        name_en -> Varchar,
        /// What the service is, in Russian
        #[max_length = 1000]
        description_ru -> Varchar,
        /// What the service is, in English
        #[max_length = 1000]
        description_en -> Varchar,
        /// regional (offered by the Krai's bodies) or municipal (by each municipality's administration)
        #[max_length = 16]
        level -> Varchar,
        /// Whether it can be rated; an inactive service keeps its history
        is_active -> Bool,
        /// When it was added (UTC)
        created_at -> Datetime,
        /// When it last changed (UTC)
        updated_at -> Datetime,
    }
}

diesel::table! {
    /// Changes of a person's home municipality: at most one a quarter, with a reason
    home_municipality_changes (id) {
        /// Surrogate key
        id -> Unsigned<Bigint>,
        /// Who moved
        user_id -> Unsigned<Bigint>,
        /// The quarter of the change (its first day); one change per person and quarter
        quarter -> Date,
        /// The home before
        from_municipality_id -> Unsigned<Bigint>,
        /// The home after
        to_municipality_id -> Unsigned<Bigint>,
        /// Why, as the person typed it
        #[max_length = 500]
        reason -> Varchar,
        /// When (UTC)
        changed_at -> Datetime,
    }
}

diesel::table! {
    /// The public history of an illegal construction: each status with its decision document
    illegal_construction_events (id) {
        /// Surrogate key
        id -> Unsigned<Bigint>,
        /// The registry entry
        illegal_construction_id -> Unsigned<Bigint>,
        /// The status the entry entered
        #[max_length = 24]
        status -> Varchar,
        /// The date of the step or of its decision document
        decided_on -> Date,
        /// The decision document: its kind, number and what it says (published)
        document -> Nullable<Text>,
        /// The official who recorded the step
        actor_id -> Nullable<Unsigned<Bigint>>,
        /// The import that recorded it, if any
        import_id -> Nullable<Unsigned<Bigint>>,
        /// When it was recorded (UTC)
        at -> Datetime,
    }
}

diesel::table! {
    /// The public registry of illegal (unauthorised) constructions
    illegal_constructions (id) {
        /// Surrogate key
        id -> Unsigned<Bigint>,
        /// Registry number, unique; the key an import matches on
        #[max_length = 64]
        registry_number -> Varchar,
        /// What was built
        #[max_length = 500]
        object_name -> Varchar,
        /// Address text
        #[max_length = 500]
        address -> Varchar,
        /// Latitude (WGS84)
        lat -> Double,
        /// Longitude (WGS84)
        lon -> Double,
        /// The municipality it is in
        municipality_id -> Unsigned<Bigint>,
        /// Cadastral number of the land plot or building, where known
        #[max_length = 40]
        cadastral_number -> Nullable<Varchar>,
        /// The owner or developer, where known
        #[max_length = 500]
        owner_name -> Nullable<Varchar>,
        /// Floors above ground, when known
        floors -> Nullable<Unsigned<Smallint>>,
        /// Total area in square metres, when known
        total_area_m2 -> Nullable<Double>,
        /// inspection, citizen_report or agency
        #[max_length = 16]
        found_by -> Varchar,
        /// identified, case_opened, court, demolition_ordered, demolished or legalised
        #[max_length = 24]
        status -> Varchar,
        /// When it was identified
        identified_on -> Date,
        /// When a decision on it was first taken (demolition ordered, demolished or legalised)
        decided_on -> Nullable<Date>,
        /// The citizen's report whose confirmation entered it, if any
        report_id -> Nullable<Unsigned<Bigint>>,
        /// When the entry was added (UTC)
        created_at -> Datetime,
        /// When the entry last changed (UTC)
        updated_at -> Datetime,
    }
}

diesel::table! {
    /// Saved column mappings, reused when a workbook with the same headers is uploaded
    import_mappings (header_signature) {
        /// SHA-256 (hex) of the normalised header row
        #[max_length = 64]
        header_signature -> Char,
        /// The column mapping last confirmed for such a header row
        mapping -> Longtext,
        /// When it was last saved (UTC)
        updated_at -> Datetime,
    }
}

diesel::table! {
    /// Citizens' amendments to one article of a draft, with the editor's disposition
    initiative_amendments (id) {
        /// Surrogate key, also the public number
        id -> Unsigned<Bigint>,
        /// The initiative
        initiative_id -> Unsigned<Bigint>,
        /// The version whose article it amends
        version_id -> Unsigned<Bigint>,
        /// The article it amends
        #[max_length = 24]
        article_label -> Varchar,
        /// The proposed text of the whole article
        body -> Mediumtext,
        /// Why
        justification -> Text,
        /// Who proposed it
        author_id -> Unsigned<Bigint>,
        /// Whether the public pages and open data leave the author's name out
        anonymous -> Bool,
        /// open, accepted, partly_accepted, rejected or outdated
        #[max_length = 16]
        status -> Varchar,
        /// The editor's published reason
        reason -> Nullable<Text>,
        /// The editor who decided
        decided_by -> Nullable<Unsigned<Bigint>>,
        /// When it was decided, or found outdated (UTC)
        decided_at -> Nullable<Datetime>,
        /// The version published after its acceptance, which took it in
        taken_in_version_id -> Nullable<Unsigned<Bigint>>,
        /// Rows in supports for it, kept in the same transaction
        support_count -> Unsigned<Integer>,
        /// When it was proposed (UTC)
        created_at -> Datetime,
    }
}

diesel::table! {
    /// The articles of each published version
    initiative_articles (version_id, position) {
        /// The version
        version_id -> Unsigned<Bigint>,
        /// Order in the version, from 1
        position -> Unsigned<Integer>,
        /// The article's number, unique in the version; 0 for the preamble
        #[max_length = 24]
        label -> Varchar,
        /// The number as written (Статья 3., 2.1)); empty for unnumbered paragraphs
        #[max_length = 64]
        heading -> Varchar,
        /// The text after the number, verbatim
        body -> Mediumtext,
    }
}

diesel::table! {
    /// Experts' published conclusions, one per expert and version
    initiative_conclusions (id) {
        /// Surrogate key
        id -> Unsigned<Bigint>,
        /// The initiative
        initiative_id -> Unsigned<Bigint>,
        /// The version under expertise
        version_id -> Unsigned<Bigint>,
        /// The expert
        expert_id -> Unsigned<Bigint>,
        /// support, support_with_remarks or reject
        #[max_length = 24]
        verdict -> Varchar,
        /// The conclusion's text, verbatim (at most 20000 characters)
        body -> Text,
        /// When it was published (UTC)
        created_at -> Datetime,
    }
}

diesel::table! {
    /// The public history of every initiative: each stage change, who made it and why
    initiative_events (id) {
        /// Surrogate key, also the order of the history
        id -> Unsigned<Bigint>,
        /// The initiative
        initiative_id -> Unsigned<Bigint>,
        /// What happened: app::lawmaking::model::EventKind
        #[max_length = 24]
        kind -> Varchar,
        /// The stage after it
        #[max_length = 16]
        stage -> Varchar,
        /// Who did it; NULL for the scheduler
        actor_id -> Nullable<Unsigned<Bigint>>,
        /// The reason or note given with it
        body -> Nullable<Text>,
        /// When (UTC)
        created_at -> Datetime,
    }
}

diesel::table! {
    /// The experts of an initiative: assigned by a moderator, or volunteers waiting for approval
    initiative_experts (initiative_id, expert_id) {
        /// The initiative
        initiative_id -> Unsigned<Bigint>,
        /// A user with the expert role
        expert_id -> Unsigned<Bigint>,
        /// The moderator who assigned or approved the expert; NULL while a volunteer waits
        assigned_by -> Nullable<Unsigned<Bigint>>,
        /// When the expert volunteered or was assigned (UTC)
        requested_at -> Datetime,
        /// When the assignment took effect (UTC); NULL while a volunteer waits
        assigned_at -> Nullable<Datetime>,
    }
}

diesel::table! {
    /// Expert remarks, each tied to an article, with the editor's disposition and reason
    initiative_remarks (id) {
        /// Surrogate key, also the order in its conclusion
        id -> Unsigned<Bigint>,
        /// The initiative
        initiative_id -> Unsigned<Bigint>,
        /// The conclusion it belongs to
        conclusion_id -> Unsigned<Bigint>,
        /// The article of the version under expertise it concerns
        #[max_length = 24]
        article_label -> Varchar,
        /// corruption, higher_law, legal_technique, budget, regulatory or other
        #[max_length = 24]
        category -> Varchar,
        /// The remark, verbatim (at most 4000 characters)
        body -> Text,
        /// open, accepted, partly_accepted or rejected
        #[max_length = 16]
        status -> Varchar,
        /// The editor's published reason for the disposition
        reason -> Nullable<Text>,
        /// The editor who decided
        decided_by -> Nullable<Unsigned<Bigint>>,
        /// When it was decided (UTC)
        decided_at -> Nullable<Datetime>,
        /// The version published after its acceptance, which took it in
        taken_in_version_id -> Nullable<Unsigned<Bigint>>,
    }
}

diesel::table! {
    /// Supports a law-making concept needs to reach the idea discussion, per level
    initiative_thresholds (level) {
        /// region, city_okrug or municipal_district
        #[max_length = 24]
        level -> Varchar,
        /// Supports a concept of this level needs within its window
        supports -> Unsigned<Integer>,
        /// When it was last set (UTC)
        updated_at -> Datetime,
        /// The administrator who last set it; NULL for the default
        updated_by -> Nullable<Unsigned<Bigint>>,
    }
}

diesel::table! {
    /// Published versions of initiatives' texts; never changed once written
    initiative_versions (id) {
        /// Surrogate key
        id -> Unsigned<Bigint>,
        /// The initiative
        initiative_id -> Unsigned<Bigint>,
        /// 1, 2, 3, ... per initiative; the unique key lets only one of two editors publish a number
        number -> Unsigned<Integer>,
        /// Who published it
        editor_id -> Unsigned<Bigint>,
        /// What changed, from the editor
        note -> Nullable<Text>,
        /// Articles in it
        article_count -> Unsigned<Integer>,
        /// When it was published (UTC)
        created_at -> Datetime,
    }
}

diesel::table! {
    /// Law-making initiatives: regional or municipal regulations proposed by citizens or officials
    initiatives (id) {
        /// Surrogate key, also the public number
        id -> Unsigned<Bigint>,
        /// The municipality whose regulation it would be; NULL for a regional one
        municipality_id -> Nullable<Unsigned<Bigint>>,
        /// Who proposed it
        author_id -> Unsigned<Bigint>,
        /// Theme; with the level it routes the initiative to a responsible body
        theme_id -> Unsigned<Bigint>,
        /// The responsible body; NULL until routed
        department_id -> Nullable<Unsigned<Bigint>>,
        /// Whether the author edits the text too (publishes versions, decides amendments and expert remarks); set by a moderator with a public reason
        author_edits -> Bool,
        /// Short title
        #[max_length = 200]
        title -> Varchar,
        /// The problem it addresses (at most 4000 characters)
        problem -> Text,
        /// What it should achieve (at most 4000 characters)
        goal -> Text,
        /// The proposed regulation in a few paragraphs (at most 8000 characters)
        proposal -> Text,
        /// moderation, refused, concept, discussion, drafting, expertise, reaction, adopted, rejected, withdrawn or archived
        #[max_length = 16]
        stage -> Varchar,
        /// When the current stage began (UTC)
        stage_started_at -> Datetime,
        /// The published end of the current stage: a concept's support window, a discussion's close, the reaction's deadline (UTC)
        stage_ends_at -> Nullable<Datetime>,
        /// The reaction clock: when the responsible body must react (UTC); NULL before the reaction stage
        reaction_due_at -> Nullable<Datetime>,
        /// The reaction clock: when the body was reminded of the deadline (UTC)
        reminded_at -> Nullable<Datetime>,
        /// The reaction clock: when the deadline passed without a reaction (UTC)
        overdue_since -> Nullable<Datetime>,
        /// The reaction clock: the supervising body an overdue reaction went to
        escalated_to -> Nullable<Unsigned<Bigint>>,
        /// The adopted act's number
        #[max_length = 64]
        act_number -> Nullable<Varchar>,
        /// The adopted act's date
        act_date -> Nullable<Date>,
        /// Where the adopted act is published (http or https)
        #[max_length = 500]
        act_url -> Nullable<Varchar>,
        /// Supports the concept needs, fixed when it was proposed
        support_threshold -> Unsigned<Integer>,
        /// Rows in supports for it, kept in the same transaction
        support_count -> Unsigned<Integer>,
        /// Comments on it, kept in the same transaction
        comment_count -> Unsigned<Integer>,
        /// When it was proposed (UTC)
        created_at -> Datetime,
        /// Last change (UTC)
        updated_at -> Datetime,
    }
}

diesel::table! {
    /// Uploaded inspection acts (PDF); unattached ones are removed with their files after a day
    inspection_acts (file_key) {
        /// Random handle; the file is <file_key>.pdf in the media directory
        #[max_length = 64]
        file_key -> Varchar,
        /// The construction report it was uploaded for; only that report's verification can name it
        report_id -> Unsigned<Bigint>,
        /// The official who uploaded it; NULL for acts published before uploads were recorded
        uploader_id -> Nullable<Unsigned<Bigint>>,
        /// When it was uploaded (UTC)
        created_at -> Datetime,
        /// When a published verification named it (UTC); acts never named are removed a day after upload
        attached_at -> Nullable<Datetime>,
    }
}

diesel::table! {
    /// Leases that let exactly one server instance run each scheduled job
    job_leases (job) {
        /// Name of the scheduled job
        #[max_length = 64]
        job -> Varchar,
        /// The instance that holds the lease
        #[max_length = 64]
        holder -> Varchar,
        /// Until when the holder may run it (UTC)
        lease_until -> Datetime,
        /// When a run last finished (UTC)
        last_finished_at -> Nullable<Datetime>,
    }
}

diesel::table! {
    /// Sign-in delays per e-mail and client address; idle rows are purged after a day
    login_throttles (email, ip) {
        /// The e-mail that was tried, lower-cased (an account or not)
        #[max_length = 254]
        email -> Varchar,
        /// Client address (IPv4 or IPv6 text) behind the trusted proxies
        #[max_length = 45]
        ip -> Varchar,
        /// Attempts since the last success or quiet window; an attempt in progress counts
        failures -> Unsigned<Integer>,
        /// No attempt from this pair is admitted before (UTC)
        blocked_until -> Nullable<Datetime>,
        /// When the last attempt was admitted (UTC)
        last_attempt_at -> Datetime,
    }
}

diesel::table! {
    /// Direct messages
    messages (id) {
        /// Surrogate key, also the order of a conversation and of live delivery
        id -> Unsigned<Bigint>,
        /// The conversation
        conversation_id -> Unsigned<Bigint>,
        /// Who wrote it
        sender_id -> Unsigned<Bigint>,
        /// The text as typed: plain text, links recognised when shown
        body -> Text,
        /// When it was sent (UTC)
        created_at -> Datetime,
    }
}

diesel::table! {
    /// Moderators' decisions on reported publications, profiles and messages
    moderation_decisions (id) {
        /// Surrogate key; the notification of the author names it
        id -> Unsigned<Bigint>,
        /// What was reported: publication, person or message
        #[max_length = 32]
        subject_kind -> Varchar,
        /// Its id
        subject_id -> Unsigned<Bigint>,
        /// Whose it is: the writer, or the person of a profile
        author_id -> Unsigned<Bigint>,
        /// hide, warn, suspend or dismiss
        #[max_length = 16]
        decision -> Varchar,
        /// The reason, as the author reads it
        #[max_length = 500]
        reason -> Varchar,
        /// For suspend: until when the author may not write (UTC)
        suspended_until -> Nullable<Datetime>,
        /// The moderator
        decided_by -> Unsigned<Bigint>,
        /// When (UTC)
        decided_at -> Datetime,
    }
}

diesel::table! {
    /// The 44 municipalities of Krasnodar Krai (7 city okrugs, 37 municipal districts)
    municipalities (id) {
        /// Surrogate key
        id -> Unsigned<Bigint>,
        /// Stable Latin identifier used in URLs and open data, e.g. krasnodar
        #[max_length = 64]
        slug -> Varchar,
        /// Official name in Russian
        #[max_length = 128]
        name_ru -> Varchar,
        /// Name in English
        #[max_length = 128]
        name_en -> Varchar,
        /// city_okrug or municipal_district
        #[max_length = 32]
        kind -> Varchar,
        /// Administrative centre, in Russian
        #[max_length = 128]
        centre_name_ru -> Varchar,
        /// Administrative centre, in English
        #[max_length = 128]
        centre_name_en -> Varchar,
        /// Latitude of the administrative centre, WGS84 decimal degrees
        centre_lat -> Double,
        /// Longitude of the administrative centre, WGS84 decimal degrees
        centre_lon -> Double,
        /// Boundary as a GeoJSON Polygon or MultiPolygon geometry, when imported
        boundary_geojson -> Nullable<Longtext>,
        /// When the boundary was last imported (UTC)
        boundary_updated_at -> Nullable<Datetime>,
        /// Resident population, for the population-weighted regional priority rank
        population -> Unsigned<Integer>,
        /// Where the population figure comes from and how exact it is
        #[max_length = 255]
        population_source -> Varchar,
    }
}

diesel::table! {
    /// Per-kind choices of where notifications go; absent: the defaults
    notification_preferences (user_id, topic) {
        /// Whose setting
        user_id -> Unsigned<Bigint>,
        /// The subject kind it is about, e.g. problem, publication
        #[max_length = 32]
        topic -> Varchar,
        /// Whether notifications of this kind reach the bell
        bell -> Bool,
        /// Whether they are also mailed
        mail -> Bool,
    }
}

diesel::table! {
    /// In-app notifications (the bell)
    notifications (id) {
        /// Surrogate key
        id -> Unsigned<Bigint>,
        /// The recipient
        user_id -> Unsigned<Bigint>,
        /// What happened, in the subject's own terms (a problem event kind, a report status, reminder, escalated)
        #[max_length = 24]
        kind -> Varchar,
        /// Kind of the subject it is about, e.g. problem
        #[max_length = 32]
        subject_kind -> Varchar,
        /// Id of the subject it is about
        subject_id -> Unsigned<Bigint>,
        /// When (UTC)
        created_at -> Datetime,
        /// When the recipient read it (UTC); NULL while unread
        read_at -> Nullable<Datetime>,
    }
}

diesel::table! {
    /// Messages to deliver outside, written with the change they tell about
    outbox_events (id) {
        /// Surrogate key; also the order of delivery within an ordering key, and the receivers' idempotency key
        id -> Unsigned<Bigint>,
        /// How it is delivered: email
        #[max_length = 16]
        channel -> Varchar,
        /// What it tells, e.g. account.confirm_registration
        #[max_length = 64]
        kind -> Varchar,
        /// Events with the same key are delivered one after another in id order, e.g. mail:<address>
        #[max_length = 191]
        ordering_key -> Varchar,
        /// What is delivered, as JSON in the channel's shape
        payload -> Longtext,
        /// pending, delivered, or failed (gave up)
        #[max_length = 16]
        status -> Varchar,
        /// Delivery attempts made so far
        attempts -> Unsigned<Integer>,
        /// When the change committed it (UTC)
        created_at -> Datetime,
        /// Not tried again before (UTC)
        next_attempt_at -> Datetime,
        /// The delivery run that holds it now
        #[max_length = 100]
        claimed_by -> Nullable<Varchar>,
        /// The claim lapses then, so a crashed run never keeps an event (UTC)
        claimed_until -> Nullable<Datetime>,
        /// Why the last attempt failed
        #[max_length = 1000]
        last_error -> Nullable<Varchar>,
        /// When it was delivered (UTC)
        delivered_at -> Nullable<Datetime>,
    }
}

diesel::table! {
    /// Photos of any subject: decoded, re-encoded without metadata, with a thumbnail
    photos (id) {
        /// Surrogate key
        id -> Unsigned<Bigint>,
        /// Who uploaded it
        uploader_id -> Unsigned<Bigint>,
        /// Random handle the uploader attaches the staged photo with
        #[max_length = 32]
        token -> Char,
        /// Kind of the subject it shows, e.g. problem; NULL while staged (not yet attached)
        #[max_length = 32]
        subject_kind -> Nullable<Varchar>,
        /// Id of the subject it shows; NULL while staged
        subject_id -> Nullable<Unsigned<Bigint>>,
        /// Which of the subject's sets: empty for its own photos, verification for a published inspection's
        #[max_length = 16]
        section -> Varchar,
        /// The entry of the subject's timeline it belongs to (a resolution report), if any
        entry_id -> Nullable<Unsigned<Bigint>>,
        /// File name in the media directory; the thumbnail is <file_key>-thumb.jpg
        #[max_length = 64]
        file_key -> Varchar,
        /// Width of the stored (re-encoded) image in pixels
        width -> Unsigned<Integer>,
        /// Height of the stored image in pixels
        height -> Unsigned<Integer>,
        /// Size of the stored image in bytes
        bytes -> Unsigned<Integer>,
        /// Upload time (UTC)
        created_at -> Datetime,
        /// What the photo shows, in its uploader's words; empty: no caption
        #[max_length = 300]
        caption -> Varchar,
    }
}

diesel::table! {
    /// Development priorities citizens vote for, regional or of one municipality
    priorities (id) {
        /// Surrogate key
        id -> Unsigned<Bigint>,
        /// The municipality it is for; NULL for a regional priority
        municipality_id -> Nullable<Unsigned<Bigint>>,
        /// Its theme
        theme_id -> Unsigned<Bigint>,
        /// Title, as typed
        #[max_length = 200]
        title -> Varchar,
        /// What is proposed and why, as typed
        #[max_length = 4000]
        description -> Varchar,
        /// Latitude of its place, if it has one (WGS84)
        lat -> Nullable<Double>,
        /// Longitude of its place, if it has one (WGS84)
        lon -> Nullable<Double>,
        /// proposed (by a citizen, awaiting moderation), open (can be voted for), rejected, closed (keeps its history)
        #[max_length = 16]
        status -> Varchar,
        /// Why it was rejected or closed, shown to everyone
        #[max_length = 1000]
        decision_reason -> Varchar,
        /// Who proposed or added it; NULL for the system
        author_id -> Nullable<Unsigned<Bigint>>,
        /// When it was proposed or added (UTC)
        created_at -> Datetime,
        /// When it last changed (UTC)
        updated_at -> Datetime,
    }
}

diesel::table! {
    /// One priority's figures in the region or one municipality in a quarterly snapshot
    priority_rank_rows (snapshot_id, scope_id, priority_id) {
        /// The snapshot
        snapshot_id -> Unsigned<Bigint>,
        /// The municipality ranked; 0 for the region
        scope_id -> Unsigned<Bigint>,
        /// The priority
        priority_id -> Unsigned<Bigint>,
        /// Votes it got here
        votes -> Unsigned<Integer>,
        /// Votes divided by the voters here: the share of voters who chose it
        share -> Double,
        /// Rank by votes; NULL when the scope has too few voters
        vote_rank -> Nullable<Unsigned<Integer>>,
        /// Its rank here in the previous quarter's snapshot, if it had one
        previous_vote_rank -> Nullable<Unsigned<Integer>>,
        /// The region only: the sum over the weighted municipalities of weight times share there
        weighted_share -> Nullable<Double>,
        /// The region only: rank by weighted share
        weighted_rank -> Nullable<Unsigned<Integer>>,
        /// The region only: the weighted rank in the previous quarter
        previous_weighted_rank -> Nullable<Unsigned<Integer>>,
    }
}

diesel::table! {
    /// The region's and each municipality's figures in a quarterly snapshot
    priority_rank_scopes (snapshot_id, scope_id) {
        /// The snapshot
        snapshot_id -> Unsigned<Bigint>,
        /// The municipality ranked; 0 for the region
        scope_id -> Unsigned<Bigint>,
        /// People whose votes counted here
        voters -> Unsigned<Integer>,
        /// Votes counted here
        votes -> Unsigned<Integer>,
        /// The population used for the weighting (the region: the sum of the municipalities weighted)
        population -> Unsigned<Integer>,
        /// A municipality's share in the population-weighted regional rank; 0 when it has too few voters to be weighted; 1 for the region
        weight -> Double,
        /// Whether it had enough voters for a rank
        ranked -> Bool,
    }
}

diesel::table! {
    /// Quarterly priority rank snapshots; immutable
    priority_rank_snapshots (id) {
        /// Surrogate key
        id -> Unsigned<Bigint>,
        /// The quarter ranked (its first day); one snapshot per quarter
        quarter -> Date,
        /// The version of the published method that built it
        method_version -> Unsigned<Smallint>,
        /// How many votes each person had in the quarter
        votes_per_voter -> Unsigned<Integer>,
        /// The fewest voters a municipality (or the region) needs for a rank
        min_voters -> Unsigned<Integer>,
        /// Votes of the quarter counted
        votes -> Unsigned<Integer>,
        /// People who voted in the quarter
        voters -> Unsigned<Integer>,
        /// When it was built (UTC)
        built_at -> Datetime,
    }
}

diesel::table! {
    /// Votes by quarter, municipality and priority, kept with every vote and withdrawal
    priority_vote_tallies (quarter, municipality_id, priority_id) {
        /// The quarter (its first day)
        quarter -> Date,
        /// Where the votes count: the voters' home when voting
        municipality_id -> Unsigned<Bigint>,
        /// The priority
        priority_id -> Unsigned<Bigint>,
        /// Votes for it from there so far (0 after every one was withdrawn)
        votes -> Unsigned<Integer>,
    }
}

diesel::table! {
    /// Voters by quarter in each municipality and in the region, kept with every vote and withdrawal
    priority_voter_tallies (quarter, scope_id) {
        /// The quarter (its first day)
        quarter -> Date,
        /// The municipality; 0 for the region
        scope_id -> Unsigned<Bigint>,
        /// People with at least one vote counted here so far
        voters -> Unsigned<Integer>,
    }
}

diesel::table! {
    /// Citizens' priority votes: at most one per person, quarter and priority
    priority_votes (id) {
        /// Surrogate key
        id -> Unsigned<Bigint>,
        /// The voter
        user_id -> Unsigned<Bigint>,
        /// The priority voted for
        priority_id -> Unsigned<Bigint>,
        /// The first day of the quarter the vote is for (region time)
        quarter -> Date,
        /// The voter's home municipality when voting: where the vote counts
        municipality_id -> Unsigned<Bigint>,
        /// When it was cast (UTC)
        created_at -> Datetime,
    }
}

diesel::table! {
    /// The public timeline of every problem
    problem_events (id) {
        /// Surrogate key
        id -> Unsigned<Bigint>,
        /// The problem
        problem_id -> Unsigned<Bigint>,
        /// submitted, published, rejected, routed, reassigned, handed_back, acknowledged, answered, planned, resolved, confirmed, reopened, merged, escalated, overdue, result_overdue, plan_lapsed, instructed, closed, edited
        #[max_length = 24]
        kind -> Varchar,
        /// Who did it; NULL for the scheduler
        actor_id -> Nullable<Unsigned<Bigint>>,
        /// The department concerned (the one acting, or the new one when routed)
        department_id -> Nullable<Unsigned<Bigint>>,
        /// Text of an answer, plan reason, resolution report, instruction, rejection reason or reopening reason
        body -> Nullable<Text>,
        /// For plans: the promised date; for instructions: the date the department must react by
        planned_for -> Nullable<Date>,
        /// When (UTC)
        created_at -> Datetime,
    }
}

diesel::table! {
    /// Problems counted per map grid cell, zoom and filter values; kept by triggers on problems
    problem_map_cells (zoom, cell_lat, cell_lon, status, theme_id, municipality_id, department_id) {
        /// The zoom level (problem_map_zooms) the cell belongs to
        zoom -> Unsigned<Tinyint>,
        /// FLOOR(lat / cell) of the problems counted
        cell_lat -> Integer,
        /// FLOOR(lon / cell) of the problems counted
        cell_lon -> Integer,
        /// Status of the problems counted
        #[max_length = 16]
        status -> Varchar,
        /// Theme of the problems counted
        theme_id -> Unsigned<Bigint>,
        /// Municipality of the problems counted
        municipality_id -> Unsigned<Bigint>,
        /// Responsible department of the problems counted; 0 for none
        department_id -> Unsigned<Bigint>,
        /// How many problems are in the cell with these values
        problems -> Integer,
        /// Sum of their latitudes (their mean point is the sum over the count)
        lat_sum -> Double,
        /// Sum of their longitudes
        lon_sum -> Double,
        /// Sum of their ids: the id of the one problem when the count is 1
        id_sum -> Bigint,
    }
}

diesel::table! {
    /// The zoom levels problem_map_cells counts problems for
    problem_map_zooms (zoom) {
        /// A map zoom level whose cells are counted in problem_map_cells
        zoom -> Unsigned<Tinyint>,
        /// The side of its cells in degrees: 84.375 / 2^zoom
        cell -> Double,
    }
}

diesel::table! {
    /// Reaction-time histograms per view and breakdown, for the dashboard's median and 90th percentile (percentiles do not add, so each breakdown keeps its own)
    problem_reaction_stats (scope_municipality_id, dimension, month, key_id, bucket) {
        /// The view the histogram serves: 0 the region, else that municipality
        scope_municipality_id -> Unsigned<Bigint>,
        /// all, municipality, department or theme: what key_id names
        #[max_length = 16]
        dimension -> Varchar,
        /// First day of the month the problems were reported in
        month -> Date,
        /// The municipality, department (0: none yet) or theme; 0 for all
        key_id -> Unsigned<Bigint>,
        /// Reaction time class (app::dashboard::model::REACTION_BUCKET_BOUNDS)
        bucket -> Unsigned<Smallint>,
        /// Problems whose first reaction took a time of that class
        problems -> Unsigned<Integer>,
    }
}

diesel::table! {
    /// Problems per month, municipality, department and theme, for the dashboard
    problem_stats (month, municipality_id, department_id, theme_id) {
        /// First day of the month the problems were reported in
        month -> Date,
        /// Municipality of the problems
        municipality_id -> Unsigned<Bigint>,
        /// Responsible department; 0 while none is
        department_id -> Unsigned<Bigint>,
        /// Theme of the problems
        theme_id -> Unsigned<Bigint>,
        /// Public problems reported in the month (duplicates left out)
        received -> Unsigned<Integer>,
        /// Of those, with an official reaction
        reacted -> Unsigned<Integer>,
        /// Of those, reacted to within the theme's reaction days of publication
        reacted_on_time -> Unsigned<Integer>,
        /// Of those, overdue when the figures were computed
        overdue -> Unsigned<Integer>,
        /// Of those, planned when the figures were computed
        planned -> Unsigned<Integer>,
        /// Of those, resolved or closed when the figures were computed
        resolved -> Unsigned<Integer>,
    }
}

diesel::table! {
    /// Problems citizens pin on the map for a department to react to
    problems (id) {
        /// Surrogate key; the public number and the Open311 service_request_id
        id -> Unsigned<Bigint>,
        /// The citizen who reported it
        author_id -> Unsigned<Bigint>,
        /// Theme (category); the Open311 service
        theme_id -> Unsigned<Bigint>,
        /// Municipality of the point
        municipality_id -> Unsigned<Bigint>,
        /// Responsible department; NULL while in moderation or waiting for a moderator to route it
        department_id -> Nullable<Unsigned<Bigint>>,
        /// moderation, published, in_progress, answered, planned, resolved, closed, rejected or duplicate
        #[max_length = 16]
        status -> Varchar,
        /// Short title written by the author
        #[max_length = 200]
        title -> Varchar,
        /// Description written by the author (at most 4000 characters)
        description -> Text,
        /// Address text, editable by the author
        #[max_length = 300]
        address -> Varchar,
        /// Latitude of the point, WGS84 decimal degrees
        lat -> Double,
        /// Longitude of the point, WGS84 decimal degrees
        lon -> Double,
        /// Where it was reported: web or open311
        #[max_length = 16]
        source -> Varchar,
        /// The id the reporting device gave the report; a repeated submission with it is the same report
        #[max_length = 64]
        client_id -> Nullable<Varchar>,
        /// When it was reported (UTC)
        created_at -> Datetime,
        /// Last change of status, routing or content (UTC)
        updated_at -> Datetime,
        /// When it was (last) published (UTC)
        published_at -> Nullable<Datetime>,
        /// When an official reaction (or a planned result) is due (UTC); NULL when none is due
        reaction_due_at -> Nullable<Datetime>,
        /// The first official reaction after the latest publication or reopening (UTC)
        first_reaction_at -> Nullable<Datetime>,
        /// The date the department promised a result by, while planned
        planned_for -> Nullable<Date>,
        /// When the department reported it resolved (UTC); the author may confirm or reopen for 14 days
        resolved_at -> Nullable<Datetime>,
        /// When it was closed (UTC)
        closed_at -> Nullable<Datetime>,
        /// When the department was reminded of the coming deadline (UTC); cleared when a new deadline starts
        reminded_at -> Nullable<Datetime>,
        /// When the deadline passed without a reaction (UTC); cleared by a reaction
        overdue_since -> Nullable<Datetime>,
        /// The supervising department the overdue problem was escalated to
        escalated_to -> Nullable<Unsigned<Bigint>>,
        /// Why a moderator rejected it; shown to the author
        #[max_length = 1000]
        rejection_reason -> Nullable<Varchar>,
        /// The original problem this one was merged into
        duplicate_of -> Nullable<Unsigned<Bigint>>,
        /// Number of supports of the problem (rows of supports), kept in the same transaction
        support_count -> Unsigned<Integer>,
        /// Number of comments on the problem (rows of comments), kept in the same transaction
        comment_count -> Unsigned<Integer>,
    }
}

diesel::table! {
    /// What each person shows on their public profile; the avatar is their photo in section avatar
    profiles (user_id) {
        /// Whose profile
        user_id -> Unsigned<Bigint>,
        /// About me, as written (plain text)
        #[max_length = 1000]
        about -> Varchar,
        /// Anyone may see my home municipality
        show_municipality -> Bool,
        /// Anyone may see the problems I reported (those that passed moderation)
        show_problems -> Bool,
        /// Anyone may see the solutions I proposed
        show_solutions -> Bool,
        /// Anyone may see the initiatives I proposed (those that passed moderation)
        show_initiatives -> Bool,
        /// Anyone may see my comments (those not hidden, on public subjects)
        show_comments -> Bool,
        /// Last change (UTC)
        updated_at -> Datetime,
    }
}

diesel::table! {
    /// Publications of people and official news of departments
    publications (id) {
        /// Surrogate key, also the order of every feed
        id -> Unsigned<Bigint>,
        /// Who wrote it
        author_id -> Unsigned<Bigint>,
        /// The department whose official news it is; NULL for a person's own
        department_id -> Nullable<Unsigned<Bigint>>,
        /// The text as typed: plain text, links recognised when shown
        body -> Text,
        /// Likes, counted in the transaction that writes the like row
        like_count -> Unsigned<Integer>,
        /// Comments, counted in the transaction that writes the comment
        comment_count -> Unsigned<Integer>,
        /// When it was published (UTC)
        created_at -> Datetime,
        /// When a moderator hid it (UTC); hidden publications leave every feed
        hidden_at -> Nullable<Datetime>,
        /// Why, as its author reads it
        #[max_length = 500]
        hidden_reason -> Nullable<Varchar>,
    }
}

diesel::table! {
    /// Write counts per action, subject and window, shared by every server instance
    rate_limits (action, subject) {
        /// The kind of write counted, e.g. problem.report
        #[max_length = 40]
        action -> Varchar,
        /// Who wrote: user:<id>, ip:<address> or key:<API key prefix>
        #[max_length = 100]
        subject -> Varchar,
        /// Start of the window being counted (UTC)
        window_start -> Datetime,
        /// Writes in that window, refused ones included
        hits -> Unsigned<Integer>,
    }
}

diesel::table! {
    /// Registrations waiting for their e-mail address to be confirmed
    registration_requests (email) {
        /// The address to confirm, lower-cased
        #[max_length = 254]
        email -> Varchar,
        /// SHA-256 (hex) of the token in the mailed link; the raw token is never stored here
        #[max_length = 64]
        token_hash -> Char,
        /// argon2id PHC string of the chosen password
        #[max_length = 255]
        password_hash -> Varchar,
        /// The name the account will show
        #[max_length = 100]
        display_name -> Varchar,
        /// The home municipality chosen
        home_municipality_id -> Unsigned<Bigint>,
        /// Interface language at registration: ru or en
        #[max_length = 8]
        locale -> Varchar,
        /// When it was asked for (UTC)
        created_at -> Datetime,
        /// The link is refused after this time (UTC)
        expires_at -> Datetime,
    }
}

diesel::table! {
    /// Excel imports of the registry: the log with counts, and the progress of a running one
    registry_imports (id) {
        /// Surrogate key
        id -> Unsigned<Bigint>,
        /// The official who imported
        user_id -> Unsigned<Bigint>,
        /// The registry the import writes: permitted or illegal
        #[max_length = 16]
        register -> Varchar,
        /// The uploaded file's name, as the official's computer called it
        #[max_length = 255]
        file_name -> Varchar,
        /// SHA-256 (hex) of the uploaded bytes
        #[max_length = 64]
        file_sha256 -> Char,
        /// uploaded, checking, checked, committing, committed or failed
        #[max_length = 16]
        phase -> Varchar,
        /// The sheet's header texts: a JSON array, one per column
        headers -> Nullable<Longtext>,
        /// Column mapping used: a JSON array, one registry field key (or null) per sheet column
        mapping -> Nullable<Longtext>,
        /// Data rows in the sheet
        total_rows -> Unsigned<Integer>,
        /// Rows processed so far by the running phase (progress)
        processed_rows -> Unsigned<Integer>,
        /// Entries the import adds (dry run) or added (committed)
        added -> Unsigned<Integer>,
        /// Entries it changes or changed
        updated -> Unsigned<Integer>,
        /// Rows equal to the registry
        unchanged -> Unsigned<Integer>,
        /// Bad rows found by the dry run
        error_count -> Unsigned<Integer>,
        /// The first bad rows found by the dry run (row, column, reason)
        errors -> Nullable<Longtext>,
        /// Why the file could not be read or the commit failed (a stable code)
        #[max_length = 64]
        failure -> Nullable<Varchar>,
        /// Upload time (UTC)
        created_at -> Datetime,
        /// When the commit finished (UTC)
        committed_at -> Nullable<Datetime>,
        /// Last sign of life of the running phase (UTC); a phase silent for minutes died with its server and is marked failed
        heartbeat_at -> Nullable<Datetime>,
    }
}

diesel::table! {
    /// Which department receives reports of a theme in a municipality; most specific rule wins
    routing_rules (id) {
        /// Surrogate key
        id -> Unsigned<Bigint>,
        /// The theme this rule routes
        theme_id -> Unsigned<Bigint>,
        /// The municipality this rule applies to; NULL for the regional fallback of the theme
        municipality_id -> Nullable<Unsigned<Bigint>>,
        /// The department that receives matching reports
        department_id -> Unsigned<Bigint>,
        /// municipality_id with 0 for the regional rule, so that the unique key also covers the fallback
        municipality_key -> Nullable<Unsigned<Bigint>>,
    }
}

diesel::table! {
    /// A service as delivered by one provider: the unit that is rated and ranked
    service_offerings (id) {
        /// Surrogate key
        id -> Unsigned<Bigint>,
        /// The service
        service_id -> Unsigned<Bigint>,
        /// The department that provides it
        department_id -> Unsigned<Bigint>,
        /// Whether it can be rated; an inactive offering keeps its history
        is_active -> Bool,
        /// When it was added (UTC)
        created_at -> Datetime,
    }
}

diesel::table! {
    /// One offering's figures in a monthly snapshot
    service_rank_rows (snapshot_id, offering_id) {
        /// The snapshot
        snapshot_id -> Unsigned<Bigint>,
        /// The service and provider
        offering_id -> Unsigned<Bigint>,
        /// Ratings of the month
        ratings -> Unsigned<Integer>,
        /// Mean quality
        mean_quality -> Double,
        /// Mean convenience
        mean_convenience -> Double,
        /// Mean speed
        mean_speed -> Double,
        /// The mean of all the service's ratings in the region that month, the prior
        service_mean -> Double,
        /// The mean of the three criteria shrunk toward the prior (Bayesian average)
        score -> Double,
        /// Rank among the providers of the service; NULL below the minimum count
        rank_in_service -> Nullable<Unsigned<Integer>>,
        /// Rank among all ranked offerings; NULL below the minimum count
        rank_overall -> Nullable<Unsigned<Integer>>,
    }
}

diesel::table! {
    /// Monthly rank snapshots of the services; immutable
    service_rank_snapshots (id) {
        /// Surrogate key
        id -> Unsigned<Bigint>,
        /// The month ranked (its first day); one snapshot per month
        month -> Date,
        /// The version of the published method that built it
        method_version -> Unsigned<Smallint>,
        /// How many ratings of the service's regional mean each score starts from
        prior_weight -> Unsigned<Integer>,
        /// The fewest ratings an offering needs to be ranked
        min_ratings -> Unsigned<Integer>,
        /// Ratings of the month counted
        ratings -> Unsigned<Integer>,
        /// When it was built (UTC)
        built_at -> Datetime,
    }
}

diesel::table! {
    /// Citizens' ratings: one per person, service and provider, and month
    service_ratings (id) {
        /// Surrogate key
        id -> Unsigned<Bigint>,
        /// The service and provider rated
        offering_id -> Unsigned<Bigint>,
        /// Who rated
        user_id -> Unsigned<Bigint>,
        /// The first day of the month the service was used (region time)
        month -> Date,
        /// Quality, 1 to 5
        quality -> Unsigned<Tinyint>,
        /// Convenience, 1 to 5
        convenience -> Unsigned<Tinyint>,
        /// Speed, 1 to 5
        speed -> Unsigned<Tinyint>,
        /// The rating's public comment in the service's discussion, if any
        comment_id -> Nullable<Unsigned<Bigint>>,
        /// When it was given (UTC)
        created_at -> Datetime,
        /// When it was last edited (UTC)
        updated_at -> Datetime,
    }
}

diesel::table! {
    /// Signed-in sessions, shared by every server instance
    sessions (token_hash) {
        /// SHA-256 (hex) of the session cookie value; the raw token is never stored
        #[max_length = 64]
        token_hash -> Char,
        /// The signed-in user
        user_id -> Unsigned<Bigint>,
        /// Sign-in time (UTC)
        created_at -> Datetime,
        /// After this time the session is invalid (UTC)
        expires_at -> Datetime,
    }
}

diesel::table! {
    /// Citizens' solutions to challenges, with their sketch and the owner's answer
    solutions (id) {
        /// Surrogate key
        id -> Unsigned<Bigint>,
        /// The challenge it answers
        challenge_id -> Unsigned<Bigint>,
        /// Who proposed it
        author_id -> Unsigned<Bigint>,
        /// Title, as typed
        #[max_length = 200]
        title -> Varchar,
        /// The solution, as typed
        #[max_length = 8000]
        description -> Varchar,
        /// Its sketch on the map, when drawn: a canonical GeoJSON Point, MultiPoint, LineString or Polygon
        sketch_geojson -> Nullable<Mediumtext>,
        /// under_consideration (the start), accepted, in_work, implemented, declined
        #[max_length = 24]
        status -> Varchar,
        /// The owner's public reason for the status; empty before the first answer
        #[max_length = 2000]
        status_reason -> Varchar,
        /// Who gave the last answer
        answered_by -> Nullable<Unsigned<Bigint>>,
        /// When the last answer was given (UTC)
        answered_at -> Nullable<Datetime>,
        /// How many people support it (moved with the supports rows)
        support_count -> Unsigned<Integer>,
        /// How many comments it has
        comment_count -> Unsigned<Integer>,
        /// When it was proposed (UTC)
        created_at -> Datetime,
        /// When it last changed (UTC)
        updated_at -> Datetime,
        /// When a moderator hid it (UTC); hidden solutions leave every list
        hidden_at -> Nullable<Datetime>,
        /// Why, as its author reads it
        #[max_length = 500]
        hidden_reason -> Nullable<Varchar>,
    }
}

diesel::table! {
    /// Links between subjects of different features, read from either end
    subject_links (from_kind, from_id, to_kind, to_id) {
        /// The kind of the subject the link starts from (challenge, solution, ...)
        #[max_length = 32]
        from_kind -> Varchar,
        /// Its id among the subjects of its kind
        from_id -> Unsigned<Bigint>,
        /// The kind of the subject it points to (problem, initiative, ...)
        #[max_length = 32]
        to_kind -> Varchar,
        /// Its id among the subjects of its kind
        to_id -> Unsigned<Bigint>,
        /// became: the first turned into the second; concerns: the first is about the second
        #[max_length = 32]
        relation -> Varchar,
        /// Who linked them
        created_by -> Unsigned<Bigint>,
        /// When they were linked (UTC)
        created_at -> Datetime,
    }
}

diesel::table! {
    /// One support (vote) per person and subject
    supports (subject_kind, subject_id, user_id) {
        /// Kind of the supported subject, e.g. problem
        #[max_length = 32]
        subject_kind -> Varchar,
        /// Id of the supported subject
        subject_id -> Unsigned<Bigint>,
        /// The supporter
        user_id -> Unsigned<Bigint>,
        /// When (UTC)
        created_at -> Datetime,
    }
}

diesel::table! {
    /// Problem categories citizens choose from
    themes (id) {
        /// Surrogate key
        id -> Unsigned<Bigint>,
        /// Stable Latin identifier; the Open311 service_code
        #[max_length = 64]
        slug -> Varchar,
        /// Name in Russian
        #[max_length = 255]
        name_ru -> Varchar,
        /// Name in English
        #[max_length = 255]
        name_en -> Varchar,
        /// What belongs to this theme, in Russian
        #[max_length = 1000]
        description_ru -> Varchar,
        /// What belongs to this theme, in English
        #[max_length = 1000]
        description_en -> Varchar,
        /// Whether reports in this theme wait for a moderator before publication
        premoderation -> Bool,
        /// Days from publication until an official reaction is due
        reaction_days -> Unsigned<Integer>,
        /// Days after an answer that is neither a result nor a plan until a result or a plan is due
        result_days -> Unsigned<Integer>,
        /// Position in lists, ascending
        sort_order -> Integer,
        /// Inactive themes accept no new reports
        is_active -> Bool,
    }
}

diesel::table! {
    /// Roles held by users; an official holds one row per department
    user_roles (id) {
        /// Surrogate key
        id -> Unsigned<Bigint>,
        /// The user who holds the role
        user_id -> Unsigned<Bigint>,
        /// citizen, expert, official, moderator or admin
        #[max_length = 16]
        role -> Varchar,
        /// For officials: the department they work for; NULL for other roles
        department_id -> Nullable<Unsigned<Bigint>>,
        /// The admin who granted the role; NULL when granted at registration or by seeding
        granted_by -> Nullable<Unsigned<Bigint>>,
        /// When the role was granted (UTC)
        granted_at -> Datetime,
        /// department_id with 0 for roles without a department, for the unique key
        department_key -> Nullable<Unsigned<Bigint>>,
    }
}

diesel::table! {
    /// Registered accounts
    users (id) {
        /// Surrogate key
        id -> Unsigned<Bigint>,
        /// Login e-mail, stored lower-cased
        #[max_length = 254]
        email -> Varchar,
        /// argon2id PHC string; never leaves the server
        #[max_length = 255]
        password_hash -> Varchar,
        /// Name shown to other users
        #[max_length = 100]
        display_name -> Varchar,
        /// Home municipality: where the user's priority votes count
        home_municipality_id -> Unsigned<Bigint>,
        /// Preferred interface language: ru or en
        #[max_length = 8]
        locale -> Varchar,
        /// Registration time (UTC)
        created_at -> Datetime,
        /// Last password change (UTC)
        password_changed_at -> Datetime,
        /// Mail me my department's new assignments, reminders and escalations (officials)
        mail_work_notices -> Bool,
        /// Mail me the steps of what I follow
        mail_followed_notices -> Bool,
        /// When the person deleted their account (UTC); NULL while it is in use
        deleted_at -> Nullable<Datetime>,
        /// Until when a moderator suspended the person's writing (UTC); NULL: never or over
        suspended_until -> Nullable<Datetime>,
    }
}

diesel::joinable!(api_keys -> users (user_id));
diesel::joinable!(audit_log -> users (actor_user_id));
diesel::joinable!(challenges -> departments (department_id));
diesel::joinable!(challenges -> municipalities (municipality_id));
diesel::joinable!(challenges -> themes (theme_id));
diesel::joinable!(challenges -> users (author_id));
diesel::joinable!(comment_reports -> comments (comment_id));
diesel::joinable!(comment_reports -> users (reporter_id));
diesel::joinable!(construction_changes -> constructions (construction_id));
diesel::joinable!(construction_changes -> registry_imports (import_id));
diesel::joinable!(construction_changes -> users (user_id));
diesel::joinable!(construction_report_events -> construction_reports (report_id));
diesel::joinable!(construction_report_events -> users (actor_id));
diesel::joinable!(construction_reports -> constructions (construction_id));
diesel::joinable!(construction_reports -> departments (department_id));
diesel::joinable!(construction_reports -> municipalities (municipality_id));
diesel::joinable!(construction_reports -> users (author_id));
diesel::joinable!(constructions -> municipalities (municipality_id));
diesel::joinable!(content_reports -> moderation_decisions (decision_id));
diesel::joinable!(content_reports -> users (reporter_id));
diesel::joinable!(conversation_members -> conversations (conversation_id));
diesel::joinable!(conversation_members -> users (user_id));
diesel::joinable!(conversations -> problems (problem_id));
diesel::joinable!(conversations -> users (started_by));
diesel::joinable!(dataset_requests -> datasets (dataset_id));
diesel::joinable!(dataset_row_keys -> dataset_versions (version_id));
diesel::joinable!(dataset_rows -> dataset_versions (version_id));
diesel::joinable!(dataset_structures -> datasets (dataset_id));
diesel::joinable!(dataset_uploads -> dataset_versions (version_id));
diesel::joinable!(dataset_uploads -> datasets (dataset_id));
diesel::joinable!(dataset_uploads -> users (uploaded_by));
diesel::joinable!(dataset_versions -> dataset_structures (structure_id));
diesel::joinable!(dataset_versions -> datasets (dataset_id));
diesel::joinable!(department_tokens -> departments (department_id));
diesel::joinable!(department_webhooks -> departments (department_id));
diesel::joinable!(department_webhooks -> users (updated_by));
diesel::joinable!(departments -> municipalities (municipality_id));
diesel::joinable!(follows -> users (user_id));
diesel::joinable!(galleries -> users (owner_id));
diesel::joinable!(home_municipality_changes -> users (user_id));
diesel::joinable!(illegal_construction_events -> illegal_constructions (illegal_construction_id));
diesel::joinable!(illegal_construction_events -> registry_imports (import_id));
diesel::joinable!(illegal_construction_events -> users (actor_id));
diesel::joinable!(illegal_constructions -> construction_reports (report_id));
diesel::joinable!(illegal_constructions -> municipalities (municipality_id));
diesel::joinable!(initiative_amendments -> initiatives (initiative_id));
diesel::joinable!(initiative_articles -> initiative_versions (version_id));
diesel::joinable!(initiative_conclusions -> initiative_versions (version_id));
diesel::joinable!(initiative_conclusions -> initiatives (initiative_id));
diesel::joinable!(initiative_conclusions -> users (expert_id));
diesel::joinable!(initiative_events -> initiatives (initiative_id));
diesel::joinable!(initiative_events -> users (actor_id));
diesel::joinable!(initiative_experts -> initiatives (initiative_id));
diesel::joinable!(initiative_remarks -> initiative_conclusions (conclusion_id));
diesel::joinable!(initiative_remarks -> initiative_versions (taken_in_version_id));
diesel::joinable!(initiative_remarks -> initiatives (initiative_id));
diesel::joinable!(initiative_remarks -> users (decided_by));
diesel::joinable!(initiative_thresholds -> users (updated_by));
diesel::joinable!(initiative_versions -> initiatives (initiative_id));
diesel::joinable!(initiative_versions -> users (editor_id));
diesel::joinable!(initiatives -> municipalities (municipality_id));
diesel::joinable!(initiatives -> themes (theme_id));
diesel::joinable!(initiatives -> users (author_id));
diesel::joinable!(inspection_acts -> construction_reports (report_id));
diesel::joinable!(inspection_acts -> users (uploader_id));
diesel::joinable!(messages -> conversations (conversation_id));
diesel::joinable!(messages -> users (sender_id));
diesel::joinable!(notification_preferences -> users (user_id));
diesel::joinable!(notifications -> users (user_id));
diesel::joinable!(photos -> users (uploader_id));
diesel::joinable!(priorities -> municipalities (municipality_id));
diesel::joinable!(priorities -> themes (theme_id));
diesel::joinable!(priorities -> users (author_id));
diesel::joinable!(priority_rank_rows -> priorities (priority_id));
diesel::joinable!(priority_rank_rows -> priority_rank_snapshots (snapshot_id));
diesel::joinable!(priority_rank_scopes -> priority_rank_snapshots (snapshot_id));
diesel::joinable!(priority_vote_tallies -> municipalities (municipality_id));
diesel::joinable!(priority_vote_tallies -> priorities (priority_id));
diesel::joinable!(priority_votes -> municipalities (municipality_id));
diesel::joinable!(priority_votes -> priorities (priority_id));
diesel::joinable!(priority_votes -> users (user_id));
diesel::joinable!(problem_events -> departments (department_id));
diesel::joinable!(problem_events -> problems (problem_id));
diesel::joinable!(problem_events -> users (actor_id));
diesel::joinable!(problems -> municipalities (municipality_id));
diesel::joinable!(problems -> themes (theme_id));
diesel::joinable!(problems -> users (author_id));
diesel::joinable!(profiles -> users (user_id));
diesel::joinable!(publications -> departments (department_id));
diesel::joinable!(publications -> users (author_id));
diesel::joinable!(registration_requests -> municipalities (home_municipality_id));
diesel::joinable!(registry_imports -> users (user_id));
diesel::joinable!(routing_rules -> departments (department_id));
diesel::joinable!(routing_rules -> municipalities (municipality_id));
diesel::joinable!(routing_rules -> themes (theme_id));
diesel::joinable!(service_offerings -> departments (department_id));
diesel::joinable!(service_offerings -> gov_services (service_id));
diesel::joinable!(service_rank_rows -> service_offerings (offering_id));
diesel::joinable!(service_rank_rows -> service_rank_snapshots (snapshot_id));
diesel::joinable!(service_ratings -> comments (comment_id));
diesel::joinable!(service_ratings -> service_offerings (offering_id));
diesel::joinable!(service_ratings -> users (user_id));
diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(solutions -> challenges (challenge_id));
diesel::joinable!(subject_links -> users (created_by));
diesel::joinable!(supports -> users (user_id));
diesel::joinable!(user_roles -> departments (department_id));
diesel::joinable!(users -> municipalities (home_municipality_id));

diesel::allow_tables_to_appear_in_same_query!(
    api_keys,
    audit_log,
    blocks,
    challenges,
    comment_reports,
    comments,
    construction_changes,
    construction_report_events,
    construction_report_stats,
    construction_reports,
    constructions,
    content_reports,
    conversation_members,
    conversations,
    dashboard_refreshes,
    dataset_requests,
    dataset_row_keys,
    dataset_rows,
    dataset_structures,
    dataset_uploads,
    dataset_versions,
    datasets,
    department_tokens,
    department_webhooks,
    departments,
    follows,
    galleries,
    gov_services,
    home_municipality_changes,
    illegal_construction_events,
    illegal_constructions,
    import_mappings,
    initiative_amendments,
    initiative_articles,
    initiative_conclusions,
    initiative_events,
    initiative_experts,
    initiative_remarks,
    initiative_thresholds,
    initiative_versions,
    initiatives,
    inspection_acts,
    job_leases,
    login_throttles,
    messages,
    moderation_decisions,
    municipalities,
    notification_preferences,
    notifications,
    outbox_events,
    photos,
    priorities,
    priority_rank_rows,
    priority_rank_scopes,
    priority_rank_snapshots,
    priority_vote_tallies,
    priority_voter_tallies,
    priority_votes,
    problem_events,
    problem_map_cells,
    problem_map_zooms,
    problem_reaction_stats,
    problem_stats,
    problems,
    profiles,
    publications,
    rate_limits,
    registration_requests,
    registry_imports,
    routing_rules,
    service_offerings,
    service_rank_rows,
    service_rank_snapshots,
    service_ratings,
    sessions,
    solutions,
    subject_links,
    supports,
    themes,
    user_roles,
    users,
);
