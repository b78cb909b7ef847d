// @generated automatically by Diesel CLI.

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
    }
}

diesel::table! {
    /// Sign-in attempts, for rate limiting per account and per IP
    login_attempts (id) {
        /// Surrogate key
        id -> Unsigned<Bigint>,
        /// The e-mail that was tried, lower-cased
        #[max_length = 254]
        email -> Varchar,
        /// Client IP address (IPv4 or IPv6 text)
        #[max_length = 45]
        ip -> Varchar,
        /// Whether the attempt signed in
        succeeded -> Bool,
        /// When (UTC)
        attempted_at -> Datetime,
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
    }
}

diesel::joinable!(audit_log -> users (actor_user_id));
diesel::joinable!(departments -> municipalities (municipality_id));
diesel::joinable!(routing_rules -> departments (department_id));
diesel::joinable!(routing_rules -> municipalities (municipality_id));
diesel::joinable!(routing_rules -> themes (theme_id));
diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(user_roles -> departments (department_id));
diesel::joinable!(users -> municipalities (home_municipality_id));

diesel::allow_tables_to_appear_in_same_query!(
    audit_log,
    departments,
    login_attempts,
    municipalities,
    routing_rules,
    sessions,
    themes,
    user_roles,
    users,
);
