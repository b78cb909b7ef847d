//! Every user-visible string, in Russian and English side by side.

use super::Locale;
use platform::error::DataFileError;
use platform::error::DocumentError;
use platform::error::WorkbookError;
use platform::error::{AppError, ErrorCode};
use platform::i18n::Message as _;

/// Declares `Msg` and its texts; an entry without both languages does not compile.
macro_rules! messages {
    ($($name:ident => $ru:literal, $en:literal;)*) => {
        /// A user-visible string.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Msg {
            $(
                #[doc = $en]
                $name,
            )*
        }

        impl platform::i18n::Message for Msg {
            fn text(self, locale: Locale) -> &'static str {
                match (self, locale) {
                    $(
                        (Msg::$name, Locale::Ru) => $ru,
                        (Msg::$name, Locale::En) => $en,
                    )*
                }
            }
        }

        impl Msg {
            /// Every message, for completeness tests.
            pub const ALL: &'static [Msg] = &[$(Msg::$name),*];
        }
    };
}

messages! {
    SiteName => "Открытый регион", "Open Region";
    SkipToContent => "Перейти к содержанию", "Skip to content";
    MainNavigation => "Основная навигация", "Main navigation";
    Language => "Язык", "Language";
    NavProblems => "Проблемы", "Problems";
    NavConstructions => "Стройконтроль", "Construction control";
    NavLawmaking => "Законотворчество", "Law-making";
    NavRanks => "Приоритеты", "Priorities";
    NavServices => "Оценка госуслуг", "Service ratings";
    NavSolutions => "Решения для города", "City solutions";
    NavCommunity => "Сообщество", "Community";
    NavParticipation => "Участие", "Participation";
    NavMenu => "Меню", "Menu";
    NavOpenData => "Открытые данные", "Open data";
    NavMunicipalities => "Муниципалитеты", "Municipalities";
    NavAccount => "Мой профиль", "My account";
    NavManage => "Управление", "Management";
    SignIn => "Войти", "Sign in";
    SignOut => "Выйти", "Sign out";
    Register => "Регистрация", "Register";
    RegisterLead => "Зарегистрируйтесь, чтобы сообщать о проблемах, голосовать и участвовать в обсуждениях.", "Register to report problems, vote and take part in discussions.";
    NoAccountYet => "Нет аккаунта? Зарегистрируйтесь", "No account yet? Register";
    HaveAccount => "Уже зарегистрированы? Войдите", "Already registered? Sign in";
    RegistrationSentTitle => "Проверьте почту", "Check your e-mail";
    RegistrationSentTo => "Мы отправили письмо на адрес", "We have sent a message to";
    RegistrationSentNext => "Откройте ссылку из письма в течение 24 часов, чтобы завершить регистрацию. Письма нет? Проверьте папку «Спам» или зарегистрируйтесь ещё раз.", "Open the link in it within 24 hours to finish registering. No message? Check the spam folder or register again.";
    ConfirmRegistration => "Завершение регистрации", "Finish registering";
    ConfirmRegistrationLead => "Подтвердите, что это ваш адрес, и аккаунт будет создан.", "Confirm that this address is yours and the account will be created.";
    ConfirmAndSignIn => "Подтвердить и войти", "Confirm and sign in";
    MailConfirmSubject => "Подтвердите регистрацию на портале «Открытый регион»", "Confirm your registration at Open Region";
    MailConfirmBody => "Чтобы завершить регистрацию на портале «Открытый регион», откройте ссылку (она действует 24 часа):", "To finish registering at Open Region, open this link (it works for 24 hours):";
    MailConfirmIgnore => "Если вы не регистрировались, ничего делать не нужно: без подтверждения аккаунт не создаётся.", "If you did not register, there is nothing to do: no account is created without confirmation.";
    MailExistsSubject => "Регистрация на портале «Открытый регион»", "Registration at Open Region";
    MailExistsBody => "С этим адресом пытались зарегистрироваться, но аккаунт с ним уже есть. Войдите:", "Someone tried to register with this address, but it already has an account. Sign in:";
    MailExistsIgnore => "Если это были не вы, ничего делать не нужно: ваш аккаунт не изменился.", "If it was not you, there is nothing to do: your account has not changed.";
    MailGreeting => "Здравствуйте", "Hello";
    MailNoticeSettings => "Какие письма получать, можно выбрать в профиле:", "Choose which messages you get in your account:";
    MailSettings => "Письма", "E-mail";
    MailWorkNotices => "Новые поручения моему ведомству, напоминания о сроках и эскалации (для сотрудников ведомств)", "New assignments for my department, deadline reminders and escalations (for department staff)";
    MailFollowedNotices => "Шаги по моим проблемам и тем, на которые я подписан(а)", "Steps of my problems and of what I follow";
    MailSettingsSaved => "Настройки писем сохранены", "E-mail settings saved";
    Email => "Электронная почта", "E-mail";
    Password => "Пароль", "Password";
    PasswordHint => "Не менее 8 символов.", "At least 8 characters.";
    DisplayName => "Имя", "Name";
    HomeMunicipality => "Муниципалитет проживания", "Home municipality";
    HomeMunicipalityHint => "Ваши голоса за приоритеты учитываются в этом муниципалитете. Сменить его можно только с указанием причины.", "Your priority votes count for this municipality. It can be changed only with a stated reason.";
    ChooseMunicipality => "Выберите муниципалитет", "Choose a municipality";
    Roles => "Роли", "Roles";
    Role => "Роль", "Role";
    ChangePassword => "Сменить пароль", "Change password";
    CurrentPassword => "Текущий пароль", "Current password";
    NewPassword => "Новый пароль", "New password";
    RepeatPassword => "Новый пароль ещё раз", "New password again";
    PasswordChanged => "Пароль изменён. Другие сеансы завершены.", "Password changed. Your other sessions were signed out.";
    SignInRequired => "Войдите, чтобы продолжить.", "Sign in to continue.";
    FixTheFields => "Исправьте отмеченные поля.", "Please correct the marked fields.";
    BackHome => "На главную", "Back to the home page";
    FooterAbout => "Открытый регион — платформа открытого правительства Краснодарского края.", "Open Region is the open-government platform of Krasnodar Krai.";
    FooterMapData => "Картографические данные © участники OpenStreetMap", "Map data © OpenStreetMap contributors";
    HomeTitle => "Открытый регион: Краснодарский край", "Open Region: Krasnodar Krai";
    HomeLead => "Сообщайте о проблемах, контролируйте стройки, предлагайте и обсуждайте законы. Ведомства отвечают публично, а все данные открыты.", "Report problems, watch construction, propose and discuss laws. Departments answer in public, and all the data is open.";
    Components => "Разделы портала", "Sections of the portal";
    ProblemsBlurb => "Отметьте проблему на карте — ведомство обязано ответить в течение 10 дней.", "Pin a problem on the map: the department must react within 10 days.";
    ConstructionsBlurb => "Реестр строек и сообщения о незаконном строительстве.", "The construction registry and reports of illegal construction.";
    LawmakingBlurb => "Инициируйте и обсуждайте региональные и муниципальные акты.", "Initiate and discuss regional and municipal regulations.";
    ServicesBlurb => "Оцените госуслугу по качеству, удобству и скорости; рейтинг исполнителей строится каждый месяц.", "Rate a government service on quality, convenience and speed; the providers are ranked every month.";
    OpenDataBlurb => "Наборы данных для людей и машин: JSON, XML, CSV.", "Datasets for people and machines: JSON, XML, CSV.";
    OpenDataLead => "Наборы открытых данных органов власти края: паспорта по методическим рекомендациям версии 3.0, таблицы на сайте и файлы CSV, JSON и XML для программ.", "Open datasets of the Krai's government bodies: passports per the methodological recommendations v3.0, tables on the site and CSV, JSON and XML files for programs.";
    OpenDataCount => "Наборов данных в каталоге", "Datasets in the catalogue";
    OpenDataFound => "Найдено наборов:", "Datasets found:";
    OpenDataSearch => "Поиск по названию, описанию и ключевым словам", "Search titles, descriptions and keywords";
    OpenDataSubject => "Ключевое слово", "Keyword";
    OpenDataCreator => "Владелец набора", "Owner";
    OpenDataNone => "Ни один набор не подходит под условия поиска.", "No dataset matches the search.";
    OpenDataForMachines => "Для разработчиков", "For developers";
    OpenDataRegistryFiles => "Реестр наборов открытых данных", "Registry of open datasets";
    OpenDataTermsTitle => "Условия использования", "Terms of use";
    OpenDataTerms => "Открытые данные можно свободно копировать, изменять и использовать, в том числе в коммерческих целях, с указанием источника — портала «Открытый регион». Лицензия:", "Open data may be freely copied, changed and used, commercially too, crediting the source, the Open Region portal. Licence:";
    OpenDataVersionOf => "версия от", "version of";
    OpenDataRowsWord => "строк", "rows";
    OpenDataDownloads => "Скачать", "Download";
    OpenDataLatestData => "Данные (последняя версия)", "Data (latest version)";
    OpenDataStructureFiles => "Структура", "Structure";
    OpenDataPassportFiles => "Паспорт и описание пакета", "Passport and package descriptor";
    OpenDataPassport => "Паспорт набора данных", "Dataset passport";
    OpenDataVersions => "Версии набора данных", "Dataset versions";
    OpenDataVersionDate => "Дата версии", "Version date";
    OpenDataColumns => "Структура набора данных", "Dataset structure";
    OpenDataColumnName => "Поле", "Field";
    OpenDataColumnMeaning => "Описание", "Meaning";
    OpenDataColumnType => "Формат", "Format";
    OpenDataTable => "Данные", "Data";
    OpenDataFirstRows => "В начало", "To the start";
    OpenDataNextRows => "Следующие строки", "Next rows";
    OpenDataApiHint => "Паспорт и данные доступны программам по постоянным адресам. Строки версии — в JSON, XML и CSV страницами до 1000 строк, с сортировкой (sort=столбец или sort=-столбец) и фильтрами (filter.столбец=значение, prefix.столбец=начало текста, min.столбец и max.столбец для чисел и дат); следующая страница — по ссылке next (курсор), без пропуска тысяч строк.", "Programs read the passport and the data at permanent addresses. A version's rows come as JSON, XML and CSV in pages of up to 1000 rows, sorted (sort=column or sort=-column) and filtered (filter.column=value, prefix.column=start of a text, min.column and max.column for numbers and dates); the next page is the next link (a cursor), never skipping thousands of rows.";
    OpenDataRowsFilter => "Фильтр по столбцу", "Filter by column";
    OpenDataRowsStartsWith => "начинается с…", "starts with…";
    OpenDataRowsEquals => "равно…", "equals…";
    OpenDataRowsReset => "Сбросить фильтры", "Clear filters";
    OpenDataRowsNone => "Ни одна строка не подходит под фильтры.", "No row matches the filters.";
    OpenDataRowsEmpty => "В этой версии нет строк.", "This version has no rows.";
    OpenDataRowsPartial => "Просмотрена часть строк: совпадения могут найтись дальше.", "Only part of the rows was searched: more matches may follow.";
    OpenDataRowsSearchOn => "Искать дальше", "Search on";
    OpenDataRowsInvalid => "Условия таблицы не приняты", "The table's conditions were refused";
    OpenDataRowsUnpublished => "Набор данных ещё не опубликован.", "The dataset is not published yet.";
    OpenDataRowsSortHint => "Нажмите на заголовок столбца, чтобы отсортировать строки; нажмите ещё раз — обратный порядок.", "Click a column header to sort the rows; click again for the reverse order.";
    RowsErrorUnknownParameter => "Неизвестный параметр", "Unknown parameter";
    RowsErrorDuplicateParameter => "Параметр указан несколько раз", "The parameter is given more than once";
    RowsErrorUnknownColumn => "В наборе данных нет такого столбца", "The dataset has no such column";
    RowsErrorBadValue => "Значение не подходит к типу столбца", "The value does not fit the column's type";
    RowsErrorUnsupportedFilter => "Этот фильтр не применим к столбцу такого типа", "This filter does not apply to a column of this type";
    RowsErrorBadLimit => "Число строк на странице (limit) — от 1 до 1000", "Rows per page (limit) must be from 1 to 1000";
    RowsErrorBadVersion => "Версия (version) — дата в виде ГГГГММДД", "The version is a date written YYYYMMDD";
    RowsErrorBadCursor => "Курсор страницы повреждён или выдан не этим API", "The page cursor is damaged or was not issued by this API";
    RowsErrorCursorMismatch => "Курсор выдан для другого запроса (других фильтров, сортировки или версии): начните с первой страницы", "The cursor belongs to another query (other filters, sort or version): start from the first page";
    RowsErrorNotFound => "Нет такого набора данных или опубликованной версии", "No such dataset or published version";
    ColumnKindString => "текст", "text";
    ColumnKindInteger => "целое число", "whole number";
    ColumnKindNumber => "число (дробная часть через точку или запятую)", "number (decimal point or comma)";
    ColumnKindDate => "дата ГГГГ-ММ-ДД или ДД.ММ.ГГГГ", "date YYYY-MM-DD or DD.MM.YYYY";
    ColumnKindBoolean => "да/нет (true/false)", "yes/no (true/false)";
    PassportCharacteristic => "Характеристика", "Characteristic";
    PassportValue => "Значение характеристики", "Value";
    PassportIdentifier => "Идентификационный номер", "Identifier";
    PassportTitle => "Наименование набора данных", "Title";
    PassportDescription => "Описание набора данных", "Description";
    PassportCreator => "Владелец набора данных", "Owner";
    PassportPublisher => "Ответственное лицо", "Responsible person";
    PassportPhone => "Телефон ответственного лица", "Responsible person's phone";
    PassportEmail => "Адрес электронной почты ответственного лица", "Responsible person's e-mail";
    PassportFormat => "Формат данных", "Data format";
    PassportCreated => "Дата первой публикации набора данных", "First published";
    PassportModified => "Дата последнего внесения изменений", "Last changed";
    PassportProvenance => "Содержание последнего изменения", "Last change";
    PassportValid => "Дата актуальности набора данных", "Current until";
    PassportSubject => "Ключевые слова", "Keywords";
    MunicipalitiesMapTitle => "Муниципалитеты Краснодарского края", "Municipalities of Krasnodar Krai";
    MapUnavailable => "Карта не загрузилась (нет связи с сервером). Попробуйте обновить страницу.", "The map could not load (no connection to the server). Try reloading the page.";
    MapTilesUnavailable => "Подложка карты не загрузилась (нет связи с сервером карт). Метки показаны.", "The map background could not load (no connection to the tile server). Markers are shown.";
    Name => "Название", "Name";
    Kind => "Тип", "Kind";
    AdministrativeCentre => "Административный центр", "Administrative centre";
    Coordinates => "Координаты", "Coordinates";
    CityOkrug => "Городской округ", "City okrug";
    MunicipalDistrict => "Муниципальный район", "Municipal district";
    Municipality => "Муниципалитет", "Municipality";
    Department => "Ведомство", "Department";
    Theme => "Тема", "Theme";
    ManageDashboard => "Обзор", "Overview";
    ManageUsers => "Пользователи и роли", "Users and roles";
    ManageDepartments => "Ведомства", "Departments";
    ManageThemes => "Темы обращений", "Problem themes";
    DepartmentIntegration => "Интеграция с СЭД", "Document-flow integration";
    IntegrationHelp => "События о работе ведомства уходят в его систему документооборота подписанными запросами (HMAC-SHA256); система отвечает через API ответов /api/v1/department/… с токеном.", "Events about the department's work go to its document-flow system as signed requests (HMAC-SHA256); the system answers through the answers API /api/v1/department/… with a token.";
    Webhook => "Приём событий (вебхук)", "Event endpoint (webhook)";
    WebhookUrl => "Адрес приёма событий", "Endpoint URL";
    WebhookSecret => "Секрет подписи", "Signing secret";
    WebhookSecretHint => "От 16 символов; пусто — будет создан случайный", "16 characters or more; empty: a random one is made";
    WebhookEventKinds => "Виды событий", "Event kinds";
    WebhookEventKindsHint => "Через пробел: problem.routed problem.reassigned problem.reminder problem.overdue problem.result_overdue problem.plan_lapsed problem.escalated problem.instructed construction_report.assigned", "Space-separated: problem.routed problem.reassigned problem.reminder problem.overdue problem.result_overdue problem.plan_lapsed problem.escalated problem.instructed construction_report.assigned";
    WebhookActive => "Отправлять события", "Deliver events";
    WebhookDeliveries => "Журнал доставки", "Delivery log";
    NoDeliveries => "Доставок ещё не было", "No deliveries yet";
    DeliveryEvent => "Событие", "Event";
    DeliveryAttempts => "Попыток", "Attempts";
    DeliveryNextAttempt => "Следующая попытка", "Next attempt";
    DeliveryLastError => "Последняя ошибка", "Last error";
    DeliveryPending => "Ожидает", "Pending";
    DeliveryDelivered => "Доставлено", "Delivered";
    DeliveryFailed => "Не доставлено", "Failed";
    RetryNow => "Повторить сейчас", "Retry now";
    ApiTokens => "Токены API ответов", "Answers API tokens";
    ApiTokensHelp => "Система передаёт токен в заголовке «Authorization: Bearer …». Её действия записываются от имени «система · ведомство» и только по задачам этого ведомства.", "The system sends the token in the header “Authorization: Bearer …”. Its steps are recorded under “system · department” and only on this department's work.";
    TokenSystem => "Система", "System";
    IssueToken => "Выдать токен", "Issue a token";
    IssuedTokenOnce => "Скопируйте токен сейчас: он не хранится и больше не будет показан.", "Copy the token now: it is not stored and will not be shown again.";
    TokenIssuedAt => "Выдан", "Issued";
    TokenLastUsed => "Последний запрос", "Last request";
    TokenRevoked => "Отозван", "Revoked";
    RevokeToken => "Отозвать", "Revoke";
    Integration => "Интеграция", "Integration";
    ManageRouting => "Маршрутизация", "Routing";
    ManageBoundaries => "Границы муниципалитетов", "Municipality boundaries";
    PopulationsTitle => "Население муниципалитетов", "Municipal populations";
    PopulationsHelp => "Взвешенный рейтинг приоритетов края учитывает каждый муниципалитет по его доле населения. Новое число действует для снапшотов, построенных после сохранения; построенные не меняются. Укажите источник (например, «Росстат, оценка на 1 января 2026»).", "The population-weighted regional priority rank counts each municipality by its share of the population. A new figure counts for snapshots built after it is saved; snapshots already built do not change. Name the source (e.g. \"Rosstat, estimate as of 1 January 2026\").";
    Population => "Население", "Population";
    PopulationSource => "Источник", "Source";
    PopulationSaved => "Население сохранено; новые снапшоты учтут его.", "The population is saved; new snapshots will count it.";
    ManageAudit => "Журнал действий", "Audit log";
    StatUsers => "пользователей", "users";
    StatDepartments => "действующих ведомств", "active departments";
    StatThemes => "действующих тем", "active themes";
    StatRoutingRules => "правил маршрутизации", "routing rules";
    StatBoundaries => "муниципалитетов с границами", "municipalities with boundaries";
    SearchUsers => "Поиск по имени или почте", "Search by name or e-mail";
    Found => "Найдено", "Found";
    GrantRole => "Назначить роль", "Grant a role";
    Grant => "Назначить", "Grant";
    Revoke => "Снять", "Revoke";
    DepartmentForOfficials => "Ведомство (для сотрудников)", "Department (for officials)";
    PreviousPage => "Назад", "Previous";
    NextPage => "Далее", "Next";
    BoundariesHelp => "Загрузите GeoJSON FeatureCollection: один объект на муниципалитет, в свойствах slug или name (название по-русски). Файл с ошибкой в любой геометрии не загружается целиком.", "Upload a GeoJSON FeatureCollection: one feature per municipality, with slug or name (the Russian name) in its properties. A file with any malformed geometry is refused as a whole.";
    BoundaryFile => "Файл GeoJSON", "GeoJSON file";
    BoundaryGeoJson => "Содержимое GeoJSON", "GeoJSON content";
    Import => "Загрузить", "Import";
    BoundariesUpdated => "Обновлено границ", "Boundaries updated";
    BoundariesUnmatched => "Не сопоставлены", "Not matched";
    When => "Когда", "When";
    Who => "Кто", "Who";
    Action => "Действие", "Action";
    Target => "Объект", "Target";
    Details => "Подробности", "Details";
    NewDepartment => "Новое ведомство", "New department";
    EditDepartment => "Изменить ведомство", "Edit department";
    NewTheme => "Новая тема", "New theme";
    EditTheme => "Изменить тему", "Edit theme";
    Slug => "Идентификатор (латиницей)", "Identifier (Latin)";
    SlugHint => "Строчные латинские буквы, цифры и дефисы, например min-transport.", "Lower-case Latin letters, digits and hyphens, e.g. min-transport.";
    NameRu => "Название по-русски", "Name in Russian";
    NameEn => "Название по-английски", "Name in English";
    DescriptionRu => "Описание по-русски", "Description in Russian";
    DescriptionEn => "Описание по-английски", "Description in English";
    MunicipalityOfDepartment => "Муниципалитет (пусто — региональное ведомство)", "Municipality (empty for a regional department)";
    Supervisor => "Контролирующее ведомство", "Supervising department";
    NoSupervisor => "Нет (не передавать на контроль)", "None (no escalation)";
    SupervisorHelp => "Проблемы ведомства, по которым истёк срок ответа, передаются на контроль контролирующему ведомству.", "Problems the department leaves overdue are escalated to its supervising department.";
    Phone => "Телефон", "Phone";
    Level => "Уровень", "Level";
    RegionalLevel => "Региональный уровень", "Regional level";
    MunicipalLevel => "Муниципальный уровень", "Municipal level";
    RegionalFallback => "Весь край (по умолчанию)", "Whole region (fallback)";
    RoutingHelp => "Обращение получает ведомство из правила для его темы и муниципалитета, а если такого нет — из правила темы для всего края.", "A report goes to the department of the rule for its theme and municipality, or else of the theme's rule for the whole region.";
    Status => "Состояние", "Status";
    Active => "Действует", "Active";
    Inactive => "Не действует", "Inactive";
    Activate => "Включить", "Activate";
    Deactivate => "Отключить", "Deactivate";
    Actions => "Действия", "Actions";
    Edit => "Изменить", "Edit";
    Delete => "Удалить", "Delete";
    Save => "Сохранить", "Save";
    Cancel => "Отмена", "Cancel";
    ReactionDays => "Срок реакции, дней", "Reaction time, days";
    ResultDays => "Срок результата или плана после ответа, дней", "Result or plan after an answer, days";
    SortOrder => "Порядок", "Order";
    Premoderation => "Премодерация", "Pre-moderation";
    Yes => "Да", "Yes";
    No => "Нет", "No";
    RoleCitizen => "Житель", "Citizen";
    RoleExpert => "Эксперт", "Expert";
    RoleOfficial => "Сотрудник ведомства", "Official";
    RoleAnalyst => "Аналитик (аппарат губернатора)", "Analyst (Governor's office)";
    RoleModerator => "Модератор", "Moderator";
    RoleAdmin => "Администратор", "Administrator";
    ErrorNotFound => "Страница не найдена", "Page not found";
    ErrorUnauthorized => "Войдите, чтобы продолжить", "Sign in to continue";
    ErrorBadCredentials => "Неверная почта или пароль", "Wrong e-mail or password";
    ErrorSuspended => "Модераторы ограничили ваш аккаунт: писать, публиковать и комментировать нельзя до", "The moderators suspended your account: you cannot write, publish or comment until";
    ErrorForbidden => "Недостаточно прав", "You do not have access to this";
    ErrorInvalid => "Проверьте введённые данные", "Please check what you entered";
    ErrorConflict => "Данные изменились, обновите страницу", "The data changed; reload the page";
    ErrorRateLimited => "Слишком много попыток. Следующая возможна через", "Too many attempts. The next one is possible in";
    ErrorBusy => "Сервер сейчас занят такой же работой. Повторите через", "The server is busy with the same kind of work. Try again in";
    ErrorBadRequest => "Некорректный запрос", "Malformed request";
    ErrorUnavailable => "Сервис временно недоступен. Проверьте связь и повторите", "The service is unavailable. Check your connection and try again";
    ErrorInternal => "Внутренняя ошибка. Мы уже знаем о ней", "Internal error. We have been notified";
    CodeRequired => "Заполните это поле", "This field is required";
    CodeInvalidEmail => "Введите адрес почты вида name@example.ru", "Enter an address like name@example.ru";
    CodeInvalidLink => "Ссылка недействительна: она уже использована или устарела. Зарегистрируйтесь ещё раз", "The link is not valid: it was already used or has expired. Please register again";
    CodeUnknownMunicipality => "Выберите муниципалитет из списка", "Choose a municipality from the list";
    CodeUnknownDepartment => "Выберите ведомство из списка", "Choose a department from the list";
    CodeSupervisesItself => "Ведомство не может контролировать само себя", "A department cannot supervise itself";
    CodeSupervisionCycle => "Выбранное ведомство само находится под контролем этого (напрямую или через другие): просроченные проблемы ходили бы по кругу", "The chosen department is itself supervised by this one (directly or through others): overdue problems would go round in a loop";
    CodeUnchanged => "Текст не отличается от действующего", "The text is the same as the current one";
    CodeOwnComment => "Свой комментарий поддержать нельзя", "You cannot support your own comment";
    CodeNoDraft => "Сначала опубликуйте текст проекта", "Publish the draft's text first";
    CodeNoConclusion => "Ни один эксперт ещё не опубликовал заключение по этой редакции", "No expert has published a conclusion on this version yet";
    DocumentNotADocx => "Это не документ Word (.docx) или файл повреждён", "This is not a Word document (.docx), or the file is damaged";
    DocumentOldWordFormat => "Это документ Word 97–2003 (.doc): сохраните его как .docx и загрузите снова", "This is a Word 97-2003 document (.doc): save it as .docx and upload again";
    DocumentEncrypted => "Документ защищён паролем — снимите защиту и загрузите снова", "The document is password-protected: remove the protection and upload again";
    DocumentNoText => "В документе нет текста", "The document holds no text";
    CodeNoPublisher => "Издатель открытых данных не настроен: администратор сервера указывает организацию и ответственное лицо (переменные OPEN_REGION_OPENDATA_*), без них наборы не публикуются", "No open-data publisher is configured: the server's administrator names the organisation and the person responsible (the OPEN_REGION_OPENDATA_* variables); without them no dataset is published";
    CodeInactiveSupervisor => "Ведомство отключено: просроченные проблемы, переданные ему, остались бы без ответа", "The department is deactivated: overdue problems escalated to it would go unanswered";
    CodeUnknownTheme => "Выберите тему из списка", "Choose a theme from the list";
    CodeUnknownUser => "Нет такого пользователя", "No such user";
    CodeWrongPassword => "Неверный пароль", "Wrong password";
    CodePasswordsDiffer => "Пароли не совпадают", "The passwords differ";
    CodeNotAllowed => "Недопустимое значение", "This value is not allowed";
    CodeMalformed => "Неверный формат", "Wrong format";
    CodeDuplicate => "Такое значение уже используется", "This value is already in use";
    CodeLastAdmin => "Нельзя снять роль с последнего администратора", "The last administrator cannot lose the role";
    CodeOutsideRegion => "Точка вне Краснодарского края", "The point is outside Krasnodar Krai";
    CodeSelfIntersecting => "Граница зоны пересекает сама себя: обведите зону без пересечений.", "The zone's outline crosses itself: draw it without crossings.";
    CodeNotAccepted => "Инициативой может стать только принятое решение.", "Only an accepted solution can become an initiative.";
    CodeAlreadyTurned => "Это решение уже стало инициативой.", "This solution has already become an initiative.";
    CodeUndeliverable => "Сообщение не может быть доставлено этому адресату.", "The message cannot be delivered to this addressee.";
    CodeUnknownSubject => "Опубликованной записи с таким номером нет.", "Nothing published has this number.";
    CodeTooLate => "Срок для этого действия истёк", "The time for this step has passed";
    CodeDateInPast => "Дата не может быть в прошлом", "The date cannot be in the past";
    CodeNotAnImage => "Это не изображение: подойдут фото в JPEG, PNG или WebP", "This is not an image: use a JPEG, PNG or WebP photo";
    CodePhotoMissing => "Фото не найдено, загрузите его ещё раз", "A photo was not found; upload it again";
    CodeActMissing => "Акт проверки не найден или относится к другому обращению, загрузите его ещё раз", "The inspection act was not found or belongs to another report; upload it again";
    Photos => "Фотографии", "Photos";
    AddPhotos => "Добавить фото (до 5, JPEG, PNG или WebP, до 10 МБ)", "Add photos (up to 5, JPEG, PNG or WebP, up to 10 MB)";
    TakePhoto => "Или сфотографировать камерой телефона", "Or take a photo with the phone's camera";
    PhotoUploading => "Загрузка фото…", "Uploading the photo…";
    RemovePhoto => "Убрать фото", "Remove the photo";
    PhotoHeld => "Нет сети: загрузится при отправке", "No network: uploads when sent";
    PhotoOf => "Фото проблемы", "Photo of the problem";
    ErrorIllegalTransition => "Этот шаг сейчас невозможен: статус проблемы —", "This step is not possible now: the problem's status is";
    StatusModeration => "На модерации", "In moderation";
    StatusPublished => "Опубликована", "Published";
    StatusInProgress => "В работе", "In progress";
    StatusAnswered => "Дан ответ", "Answered";
    StatusPlanned => "Запланирована", "Planned";
    StatusResolved => "Решена", "Resolved";
    StatusClosed => "Закрыта", "Closed";
    StatusRejected => "Отклонена", "Rejected";
    StatusDuplicate => "Дубликат", "Duplicate";
    EventSubmitted => "Сообщение отправлено", "Reported";
    EventPublished => "Опубликована", "Published";
    EventRejected => "Отклонена модератором", "Rejected by a moderator";
    EventRouted => "Направлена в ведомство", "Sent to the department";
    EventReassigned => "Передана другому ведомству", "Reassigned to another department";
    EventHandedBack => "Ведомство вернуло: «не наша компетенция»", "Handed back by the department: not theirs";
    EventAcknowledged => "Принята в работу", "Taken into work";
    EventAnswered => "Официальный ответ", "Official answer";
    EventPlanned => "Решение запланировано", "Solution planned";
    EventResolved => "Отчёт о решении", "Reported as resolved";
    EventConfirmed => "Автор подтвердил решение", "The author confirmed the result";
    EventReopened => "Автор открыл повторно", "Reopened by the author";
    EventMerged => "Объединена с другой проблемой", "Merged into another problem";
    EventEscalated => "Передана на контроль", "Escalated to the supervisor";
    EventOverdue => "Срок реакции истёк", "The reaction deadline passed";
    EventResultOverdue => "После ответа в срок не представлены ни результат, ни план", "No result or plan by the date due after the answer";
    EventPlanLapsed => "Запланированный срок истёк без результата — проблема снова в работе", "The planned date passed without a result: the problem is back in work";
    EventInstructed => "Поручение контролирующего органа ведомству", "The supervising body instructed the department";
    EventClosed => "Закрыта", "Closed";
    EventEdited => "Модератор уточнил тему или место", "A moderator corrected the theme or place";
    EventReminder => "До срока реакции осталось 2 дня", "2 days left until the reaction deadline";
    ActionPublish => "Опубликовать", "Publish";
    ActionReject => "Отклонить", "Reject";
    ActionEdit => "Сохранить тему и место", "Save theme and place";
    ActionReassign => "Передать ведомству", "Reassign";
    ActionMerge => "Объединить с оригиналом", "Merge into the original";
    ActionAcknowledge => "Принять в работу", "Take into work";
    ActionAnswer => "Ответить", "Answer";
    ActionPlan => "Запланировать", "Plan";
    ActionResolve => "Отчитаться о решении", "Report resolved";
    ActionHandBack => "Не наша компетенция", "Not ours";
    ActionInstruct => "Дать поручение ведомству", "Instruct the department";
    ActionConfirm => "Подтвердить решение", "Confirm the result";
    ActionReopen => "Открыть повторно", "Reopen";
    ActionClose => "Закрыть", "Close";
    ProblemsTitle => "Проблемы", "Problems";
    ProblemsLead => "Сообщите о проблеме — ведомство обязано отреагировать в течение 10 дней. Поддерживайте сообщения соседей.", "Report a problem: the department must react within 10 days. Support your neighbours' reports.";
    ReportProblem => "Сообщить о проблеме", "Report a problem";
    ViewList => "Список", "List";
    ViewMap => "Карта", "Map";
    FilterMunicipality => "Муниципалитет", "Municipality";
    FilterTheme => "Тема", "Theme";
    FilterStatus => "Статус", "Status";
    FilterDepartment => "Ведомство", "Department";
    FilterOverdue => "Только просроченные", "Overdue only";
    FilterAny => "Все", "All";
    FilterApply => "Показать", "Show";
    FiltersAndSort => "Фильтры и сортировка", "Filters and sorting";
    SortLabel => "Сортировка", "Sort";
    SortNewest => "Сначала новые", "Newest first";
    SortSupported => "Больше поддержки", "Most supported";
    SortDeadline => "Ближе срок", "Nearest deadline";
    NoProblems => "Проблем с такими условиями нет.", "No problems match these filters.";
    PageNext => "Следующая страница", "Next page";
    PagePrevious => "Предыдущая страница", "Previous page";
    PageNumber => "Страница", "Page";
    Supports => "Поддержали", "Supported by";
    CommentsCount => "Комментарии", "Comments";
    DaysLeft => "дн. до срока реакции", "days left to react";
    DueToday => "Срок реакции — сегодня", "Reaction due today";
    OverdueBy => "Просрочено на", "Overdue by";
    DaysShort => "дн.", "days";
    NoDepartment => "Ведомство ещё не назначено", "No department assigned yet";
    Responsible => "Ответственное ведомство", "Responsible department";
    ReportedBy => "Автор", "Reported by";
    ReportedAt => "Отправлено", "Reported";
    Timeline => "Ход рассмотрения", "Timeline";
    PlannedFor => "Запланировано на", "Planned for";
    RejectionReason => "Причина отклонения", "Reason for rejection";
    DuplicateOf => "Это дубликат проблемы", "This duplicates problem";
    EscalatedTo => "На контроле у", "Supervised by";
    ResultDue => "Результат или план — до", "Result or plan due by";
    ReactBy => "Отреагировать до", "React by";
    Support => "Поддержать", "Support";
    WithdrawSupport => "Отозвать поддержку", "Withdraw support";
    Reply => "Ответить", "Reply";
    YourReply => "Ваш ответ", "Your reply";
    SendReply => "Отправить ответ", "Send the reply";
    MoreComments => "Следующие комментарии", "More comments";
    FirstComments => "К началу обсуждения", "Back to the start of the discussion";
    LeadingFor => "Больше всего поддержки «за»", "Most supported for";
    LeadingAgainst => "Больше всего поддержки «против»", "Most supported against";
    Subscribe => "Следить", "Follow";
    Unsubscribe => "Не следить", "Unfollow";
    SignInToAct => "Войдите, чтобы поддержать, прокомментировать или следить.", "Sign in to support, comment or follow.";
    Comments => "Обсуждение", "Discussion";
    NoComments => "Комментариев пока нет.", "No comments yet.";
    AddComment => "Комментарий", "Comment";
    SendComment => "Отправить", "Send";
    ReportComment => "Пожаловаться", "Report";
    HideComment => "Скрыть", "Hide";
    Reason => "Причина", "Reason";
    CommentReported => "Жалоба отправлена модераторам.", "Your report was sent to the moderators.";
    CommentHidden => "Комментарий скрыт модератором. Причина:", "Comment hidden by a moderator. Reason:";
    ManageComments => "Жалобы на комментарии", "Reported comments";
    NoReportedComments => "Жалоб на комментарии нет.", "No reported comments.";
    CommentReports => "Жалоб", "Reports";
    OpenSubject => "Открыть обсуждение", "Open the discussion";
    OfficialActions => "Действия ведомства", "Department's actions";
    ModeratorActions => "Действия модератора", "Moderator's actions";
    SupervisorActions => "Действия контролирующего органа", "Supervising body's actions";
    AuthorActions => "Ваша оценка решения", "Your verdict on the result";
    AuthorActionsHint => "Подтвердите решение или откройте проблему повторно в течение 14 дней; план, срок которого истёк, тоже можно открыть повторно.", "Confirm the result or reopen the problem within 14 days; a plan whose date has passed can be reopened too.";
    ActionText => "Текст", "Text";
    ActionTextHint => "Ответ, причина или отчёт — увидят все.", "The answer, reason or report: everyone will see it.";
    OriginalNumber => "Номер оригинала", "Number of the original";
    Latitude => "Широта", "Latitude";
    Longitude => "Долгота", "Longitude";
    Address => "Адрес", "Address";
    ProblemTitle => "Заголовок", "Title";
    ProblemDescription => "Описание", "Description";
    PickPointHint => "Нажмите на карту или перетащите метку, чтобы указать место.", "Click the map or drag the marker to set the place.";
    UseMyPosition => "Моё местоположение", "Use my position";
    PickOnMap => "Указать на карте", "Pick on the map";
    RemovePlace => "Убрать место", "Remove the place";
    PositionUnavailable => "Не удалось определить местоположение. Укажите место на карте.", "Your position is unavailable. Set the place on the map.";
    SimilarProblems => "Похожие проблемы рядом — возможно, ваша среди них? Поддержите её вместо новой.", "Similar problems nearby. Is yours one of them? Support it instead of a new one.";
    WaitingReportsTitle => "Ждут отправки", "Waiting to be sent";
    WaitingForNetwork => "ждёт сети, отправится само", "waiting for the network, sends by itself";
    RemoveWaitingReport => "Удалить с телефона", "Remove from this device";
    ReportKept => "Сети нет: сообщение сохранено на этом устройстве и отправится, когда сеть вернётся.", "No network: the report is kept on this device and is sent when the network returns.";
    SubmitProblem => "Отправить", "Submit";
    ProblemSubmitted => "Сообщение отправлено", "Your report was sent";
    SignInToReport => "Войдите, чтобы сообщить о проблеме.", "Sign in to report a problem.";
    MyProblems => "Мои сообщения", "My reports";
    QuickActions => "Быстрые действия", "Quick actions";
    ModerationTitle => "Модерация проблем", "Problem moderation";
    ModerationEmpty => "Очередь пуста.", "The queue is empty.";
    ModerationWaiting => "Ждёт", "Waiting";
    ModerationLate => "Дольше рабочего дня", "Over a working day";
    HoursShort => "ч", "h";
    StatsModerationLate => "Ждали модерации дольше рабочего дня", "Waited over a working day for moderation";
    WorkspaceTitle => "Рабочее место ведомства", "Department workspace";
    WorkspaceEmpty => "Открытых проблем нет.", "No open problems.";
    EscalatedQueue => "Переданы вам на контроль", "Escalated to you";
    EscalatedQueueHint => "Просроченные проблемы подведомственных органов: ответьте, передайте другому ведомству или дайте поручение со сроком.", "Overdue problems of the bodies you supervise: answer, reassign to another department, or instruct with a date.";
    DueSoon => "Срок через 2 дня и меньше", "Due within 2 days";
    OverdueCount => "Просрочено", "Overdue";
    Deadline => "Срок реакции", "Reaction due";
    ChooseDepartment => "Ведомство", "Department";
    StatsTitle => "Показатели реакции", "Reaction record";
    StatsThisMonth => "Этот месяц", "This month";
    StatsLastYear => "Последние 12 месяцев", "Last 12 months";
    StatsReceived => "Поступило", "Received";
    StatsOnTime => "Реакция в срок", "Reacted on time";
    StatsOverdue => "С нарушением срока", "Overdue";
    StatsMedian => "Медиана времени реакции, ч", "Median reaction time, h";
    Notifications => "Уведомления", "Notifications";
    NoNotifications => "Уведомлений нет.", "No notifications.";
    MarkAllRead => "Отметить все прочитанными", "Mark all read";
    Unread => "непрочитанных", "unread";
    NavModeration => "Модерация проблем", "Problem moderation";
    NavWorkspace => "Рабочее место", "Workspace";
    ApiKeyTitle => "Ключ API Open311", "Open311 API key";
    ApiKeyHelp => "Ключ позволяет отправлять сообщения о проблемах из других программ через /open311/v2/requests.json. Храните его в секрете.", "The key lets other programs submit problem reports through /open311/v2/requests.json. Keep it secret.";
    ApiKeyShownOnce => "Ваш новый ключ (показывается один раз):", "Your new key (shown once):";
    ApiKeyActive => "У вас есть действующий ключ.", "You have an active key.";
    ApiKeyNone => "Ключа пока нет.", "You have no key yet.";
    ApiKeyIssue => "Выпустить ключ", "Issue a key";
    ApiKeyReplace => "Заменить ключ", "Replace the key";
    ApiKeyRevoke => "Отозвать ключ", "Revoke the key";
    ConstructionsTitle => "Реестр строек", "Construction registry";
    ConstructionsLead => "Все разрешённые стройки края на карте и в таблице. Видите стройку, которой нет в реестре, или она не соответствует разрешению? Сообщите — результат проверки будет опубликован.", "Every permitted construction in the region, on the map and in a table. See one that is not in the registry, or that differs from its permit? Report it: the inspection result is published.";
    ReportConstruction => "Сообщить о незаконной стройке", "Report illegal construction";
    FilterDeveloper => "Застройщик (название или ИНН)", "Developer (name or INN)";
    FilterPermitFrom => "Разрешение выдано с", "Permit issued from";
    FilterSubmittedFrom => "Подано с", "Submitted from";
    FilterSubmittedTo => "Подано по", "Submitted to";
    ColReportKind => "Что сообщено", "What was reported";
    ColSubmitted => "Подано", "Submitted";
    FilterPermitTo => "по", "to";
    FilterSearch => "Поиск по номеру, объекту, адресу", "Search number, object, address";
    SortPermitNewest => "Сначала новые разрешения", "Newest permits first";
    SortPermitOldest => "Сначала старые разрешения", "Oldest permits first";
    SortRegistryNumber => "По реестровому номеру", "By registry number";
    SortObjectName => "По названию объекта", "By object name";
    ColRegistryNumber => "Реестровый номер", "Registry number";
    ColObject => "Объект", "Object";
    ColAddress => "Адрес", "Address";
    ColLatitude => "Широта", "Latitude";
    ColLongitude => "Долгота", "Longitude";
    ColMunicipality => "Муниципалитет", "Municipality";
    ColDeveloper => "Застройщик", "Developer";
    ColInn => "ИНН застройщика", "Developer INN";
    ColPermitNumber => "Номер разрешения", "Permit number";
    ColPermitDate => "Дата разрешения", "Permit date";
    ColPermitIssuer => "Кем выдано разрешение", "Permit issued by";
    ColPermittedUse => "Разрешённое использование", "Permitted use";
    ColFloors => "Этажность", "Floors";
    ColArea => "Общая площадь, м²", "Total area, m²";
    ColPlannedCompletion => "Плановый срок ввода", "Planned completion";
    ColStatus => "Статус", "Status";
    ColReports => "Сообщения / нарушения", "Reports / violations";
    ConstructionPermitIssued => "Выдано разрешение", "Permit issued";
    ConstructionUnderConstruction => "Строится", "Under construction";
    ConstructionCommissioned => "Введён в эксплуатацию", "Commissioned";
    ConstructionSuspended => "Приостановлено", "Suspended";
    ConstructionRevoked => "Разрешение отозвано", "Permit revoked";
    IllegalTitle => "Реестр самовольных построек", "Registry of illegal constructions";
    IllegalLead => "Постройки, возведённые без разрешения органов власти: как их выявили, где они, что решено. Данные доступны таблицей, на карте и файлами XLSX и PDF.", "Buildings put up without the authorities' permission: how they were found, where they are, what was decided. As a table, on the map and as XLSX and PDF files.";
    IllegalIdentified => "Выявлена", "Identified";
    IllegalCaseOpened => "Возбуждено дело", "Case opened";
    IllegalCourt => "Рассматривается в суде", "In court";
    IllegalDemolitionOrdered => "Решение о сносе", "Demolition ordered";
    IllegalDemolished => "Снесена", "Demolished";
    IllegalLegalised => "Узаконена", "Legalised";
    FoundByInspection => "Проверка надзорного органа", "Supervision inspection";
    FoundByCitizenReport => "Сообщение гражданина", "Citizen's report";
    FoundByAgency => "Сведения другого ведомства", "Another agency";
    ColOwner => "Владелец или застройщик", "Owner or developer";
    ColCadastralNumber => "Кадастровый номер", "Cadastral number";
    ColFoundBy => "Как выявлена", "How it was found";
    ColIdentifiedOn => "Дата выявления", "Identified on";
    ColDecidedOn => "Дата решения", "Decided on";
    ColDaysToDecision => "Дней до решения", "Days to decision";
    ColSourceReport => "Основание", "Source";
    IllegalRecordStep => "Записать решение", "Record a decision";
    IllegalDocument => "Документ-основание", "Decision document";
    IllegalDocumentHint => "Вид, номер и дата документа и что в нём решено. Для решения о сносе, сносе и узаконивании обязателен.", "The document's kind, number, date and what it decides. Required for a demolition order, a demolition and a legalisation.";
    IllegalEntered => "Внесено в реестр самовольных построек:", "Entered in the registry of illegal constructions:";
    EntriesFound => "Найдено записей:", "Entries found:";
    NoConstructions => "Записей с такими условиями нет.", "No entries match these filters.";
    ExportXlsx => "Скачать XLSX", "Download XLSX";
    ExportPdf => "Скачать PDF", "Download PDF";
    ExportFilters => "Фильтры", "Filters";
    ExportNoFilters => "без фильтров", "none";
    ExportGenerated => "Сформировано", "Generated";
    ExportPage => "Страница {page} из {pages}", "Page {page} of {pages}";
    ExportAbout => "О выгрузке", "About this export";
    ConstructionReportsTitle => "Сообщения о незаконном строительстве", "Reports of illegal construction";
    ConstructionAnalyticsTitle => "Аналитика незаконного строительства", "Illegal construction analytics";
    ImportLogTitle => "Журнал импорта реестра", "Registry import log";
    AddConstruction => "Добавить запись", "Add an entry";
    EditConstruction => "Редактировать запись", "Edit the entry";
    ImportRegistry => "Импорт из Excel", "Import from Excel";
    SaveConstruction => "Сохранить", "Save";
    ConstructionSaved => "Запись сохранена", "The entry was saved";
    HistoryTitle => "История изменений", "Change history";
    HistoryCreated => "Запись создана", "Entry created";
    HistoryUpdated => "Запись изменена", "Entry changed";
    HistoryByImport => "импорт №", "import no.";
    HistoryEmptyValue => "пусто", "empty";
    ReportsOnEntry => "Сообщения граждан и результаты проверок", "Citizens' reports and inspection results";
    NoReportsOnEntry => "Сообщений об этой стройке нет.", "No reports about this construction.";
    ReportDiffers => "Сообщить о несоответствии разрешению", "Report a difference from the permit";
    FootprintTitle => "Утверждённый контур застройки", "Approved footprint";
    ReportKindNotInRegistry => "Стройки нет в реестре", "Not in the registry";
    ReportKindDiffers => "Не соответствует разрешению", "Differs from the permit";
    AspectFloors => "Этажность", "Floors";
    AspectFootprint => "Контур застройки", "Footprint";
    AspectUse => "Использование", "Use";
    AspectLocation => "Местоположение", "Location";
    ReportKindLabel => "Что не так", "What is wrong";
    AspectLabel => "В чём несоответствие", "What differs";
    ReportEntryLabel => "Номер записи реестра", "Registry entry id";
    ReportConstructionLead => "Отметьте стройку на карте, опишите, что видите, и приложите фото. Сообщение попадёт в надзорный орган муниципалитета; результат проверки будет опубликован.", "Mark the construction on the map, describe what you see and add photos. The report goes to the municipality's supervision body; the inspection result will be published.";
    ReportConstructionSent => "Сообщение отправлено в надзорный орган", "The report was sent to the supervision body";
    ReportSubmitted => "Подано", "Submitted";
    ReportUnderVerification => "На проверке", "Under verification";
    ReportViolationConfirmed => "Нарушение подтверждено", "Violation confirmed";
    ReportNotConfirmed => "Нарушение не подтвердилось", "Not confirmed";
    ReportMeasuresTaken => "Приняты меры", "Measures taken";
    ReportNumber => "Сообщение №", "Report no.";
    VerificationResult => "Результат проверки", "Inspection result";
    VerifiedOn => "Дата проверки", "Inspection date";
    Findings => "Выводы инспектора", "Inspector's findings";
    MeasuresTaken => "Принятые меры", "Measures taken";
    InspectionAct => "Акт проверки (PDF)", "Inspection act (PDF)";
    InspectionPhotos => "Фото проверки", "Inspection photos";
    ReporterPhotos => "Фото заявителя", "Reporter's photos";
    ActionStartVerification => "Начать проверку", "Start verification";
    ActionConfirmViolation => "Подтвердить нарушение", "Confirm the violation";
    ActionDismiss => "Нарушение не подтвердилось", "No violation found";
    ActionTakeMeasures => "Сообщить о принятых мерах", "Report measures taken";
    MeasuresHint => "Предписание, штраф, иск в суд, снос — с реквизитами.", "Order, fine, court claim, demolition, with references.";
    AttachAct => "Приложить акт проверки (PDF, до 10 МБ)", "Attach the inspection act (PDF, up to 10 MB)";
    ActAttached => "Акт приложен", "Act attached";
    VerificationQueueTitle => "Проверки сообщений о стройках", "Construction report verification";
    NoVerificationWork => "Сообщений, ждущих проверки, нет.", "No reports await verification.";
    MyConstructionReports => "Мои сообщения о стройках", "My construction reports";
    NoConstructionReports => "Сообщений нет.", "No reports.";
    ImportTitle => "Импорт реестра из Excel", "Registry import from Excel";
    ImportLead => "Загрузите файл .xlsx или .xls. Затем сопоставьте столбцы с полями реестра и выполните проверку: ошибки будут показаны по строкам. Импорт выполняется целиком или не выполняется вовсе; повторный импорт того же файла ничего не меняет.", "Upload an .xlsx or .xls file. Then map its columns to the registry's fields and run the check: problems are listed row by row. The import is written whole or not at all; importing the same file again changes nothing.";
    ImportFile => "Файл Excel (.xlsx, .xls, до 20 МБ)", "Excel file (.xlsx, .xls, up to 20 MB)";
    ImportUpload => "Загрузить", "Upload";
    ImportUploading => "Файл загружается и читается…", "Uploading and reading the file…";
    ImportMapping => "Сопоставление столбцов", "Column mapping";
    ImportColumn => "Столбец файла", "File column";
    ImportField => "Поле реестра", "Registry field";
    ImportIgnore => "— не импортировать —", "— do not import —";
    ImportCheck => "Проверить", "Check";
    ImportChecking => "Идёт проверка строк…", "Checking the rows…";
    ImportCommit => "Импортировать в реестр", "Import into the registry";
    ImportCommitting => "Идёт запись в реестр…", "Writing to the registry…";
    ImportCommitted => "Импорт завершён", "Import finished";
    ImportFailed => "Импорт не выполнен, в реестре ничего не изменилось", "The import failed; nothing in the registry changed";
    ImportFailedInterrupted => "Сервер перезапустился во время работы с файлом. Проверьте файл снова.", "The server restarted while working on the file. Check the file again.";
    ImportFailedBadRows => "В файле есть строки с ошибками, а их пропуск не был выбран.", "The file has rows with problems, and skipping them was not chosen.";
    ImportFailedFileMissing => "Загруженный файл больше не хранится на сервере. Загрузите его снова.", "The uploaded file is no longer kept on the server. Upload it again.";
    ImportFailedInternal => "Ошибка на сервере. Попробуйте ещё раз; если повторится, сообщите администратору.", "A server error. Try again; if it happens again, tell the administrator.";
    ImportRowsInFile => "Строк с данными в файле", "Data rows in the file";
    ImportToAdd => "Будет добавлено", "To add";
    ImportToUpdate => "Будет изменено", "To change";
    ImportUnchanged => "Без изменений", "Unchanged";
    ImportBadRows => "Строк с ошибками", "Rows with problems";
    ImportAdded => "Добавлено", "Added";
    ImportUpdated => "Изменено", "Changed";
    ImportRow => "Строка", "Row";
    ImportReason => "Причина", "Reason";
    ImportFixAndRecheck => "Исправьте файл или сопоставление и проверьте снова: пока есть ошибки, импорт невозможен.", "Fix the file or the mapping and check again: while any row is bad, nothing can be imported.";
    ImportMissingFields => "Сопоставьте обязательные поля:", "Map the required fields:";
    ImportSkipBadRows => "Пропустить строки с ошибками и импортировать остальные", "Skip the rows with problems and import the others";
    ImportProgress => "Обработано строк", "Rows processed";
    ImportChanges => "Список изменений", "Change list";
    ImportWho => "Кто", "Who";
    ImportWhen => "Когда", "When";
    ImportFileName => "Файл", "File";
    NoImports => "Импортов пока не было.", "No imports yet.";
    RowMissing => "Обязательное значение не заполнено", "A required value is empty";
    RowBadInn => "Неверный ИНН (10 или 12 цифр с верной контрольной суммой)", "Invalid INN (10 or 12 digits with a valid check digit)";
    RowBadDate => "Не удаётся прочитать дату (ожидается ДД.ММ.ГГГГ, ГГГГ-ММ-ДД или дата Excel)", "Unreadable date (expected DD.MM.YYYY, YYYY-MM-DD or an Excel date)";
    RowBadNumber => "Не удаётся прочитать число", "Unreadable number";
    RowOutOfRange => "Значение вне допустимого диапазона", "Value out of range";
    RowUnknownMunicipality => "Неизвестный муниципалитет", "Unknown municipality";
    RowNotYourMunicipality => "Реестр этого муниципалитета ведёт другое ведомство", "Another department keeps this municipality's registry";
    RowUnknownStatus => "Неизвестный статус", "Unknown status";
    RowUnknownFoundBy => "Неизвестный способ выявления (проверка, сообщение гражданина, другое ведомство)", "Unknown way of finding (inspection, citizen's report, another agency)";
    RowFutureDate => "Дата ещё не наступила", "The date is in the future";
    RegisterPermitted => "Реестр разрешений на строительство", "Registry of building permits";
    RegisterIllegal => "Реестр самовольных построек", "Registry of illegal constructions";
    ImportRegister => "Какой реестр загружается", "Which registry is imported";
    RowOutsideRegion => "Точка вне Краснодарского края", "The point is outside Krasnodar Krai";
    RowDuplicateInFile => "Номер повторяется в файле; впервые в строке", "The number repeats in the file; first in row";
    RowFormula => "В ячейке формула — вставьте значения", "The cell holds a formula; paste values instead";
    RowBadFootprint => "Контур не прочитан: нужен GeoJSON Polygon, WKT POLYGON или пары «широта, долгота» через «;», от 3 до 500 вершин", "The outline cannot be read: use a GeoJSON Polygon, WKT POLYGON or \"lat, lon\" pairs separated by \";\", 3 to 500 vertices";
    FootprintVertices => "Контур, вершин", "Outline, vertices";
    FootprintHint => "GeoJSON Polygon, WKT POLYGON или пары «широта, долгота» через «;». Контур показывается на карте.", "A GeoJSON Polygon, WKT POLYGON or \"lat, lon\" pairs separated by \";\". The outline shows on the map.";
    RowTooLong => "Слишком длинное значение, символов не более", "Value too long; at most characters:";
    WorkbookTooLarge => "Файл слишком большой", "The file is too large";
    WorkbookNotAWorkbook => "Это не книга Excel или файл повреждён", "This is not an Excel workbook, or the file is damaged";
    WorkbookEncrypted => "Книга защищена паролем — снимите защиту и загрузите снова", "The workbook is password-protected: remove the protection and upload again";
    WorkbookGridTooLarge => "Лист слишком велик: он занимает больше 4 миллионов ячеек. Удалите пустые строки и столбцы за пределами таблицы или сохраните файл как .xlsx.", "The sheet is too large: it spans more than 4 million cells. Delete empty rows and columns beyond the table, or save the file as .xlsx.";
    WorkbookTooBig => "Файл распаковывается в слишком большой объём (возможна zip-бомба)", "The file unpacks to too much data (possibly a zip bomb)";
    WorkbookNoData => "В книге нет строки заголовков с данными", "The workbook has no header row with data";
    WorkbookTooManyRows => "Слишком много строк в файле", "Too many rows in the file";
    WorkbookNoSheet => "В книге нет листов", "The workbook has no sheets";
    CodeInvalidInn => "Неверный ИНН: 10 или 12 цифр с верной контрольной суммой", "Invalid INN: 10 or 12 digits with a valid check digit";
    CodeNotAPdf => "Это не PDF-документ", "This is not a PDF document";
    CodeMovedThisQuarter => "Муниципалитет проживания в этом квартале уже меняли: его можно менять раз в квартал.", "Your home municipality was changed this quarter already: it can change once a quarter.";
    CodePublishedToday => "Версия этого набора за сегодня уже опубликована: версии датируются днём и не меняются, следующую можно опубликовать завтра", "Today's version of this dataset is published already: versions are dated by the day and never change, so the next one can be published tomorrow";
    DataFileNoHeader => "Файл пуст: в первой строке должны быть названия столбцов.", "The file is empty: its first row must name the columns.";
    DataFileNoRows => "В файле есть заголовок, но нет ни одной строки данных.", "The file has a header but no data rows.";
    OdManageTitle => "Управление открытыми данными", "Open data management";
    OdNewDataset => "Новый набор данных", "New dataset";
    OdDatasetColumn => "Набор данных", "Dataset";
    OdSourceColumn => "Источник", "Source";
    OdActionsColumn => "Действия", "Actions";
    OdSourceLive => "Реестры портала (публикуется ежедневно)", "The portal's registries (published daily)";
    OdSourceUploaded => "Файлы модератора", "Moderator's files";
    OdNotPublished => "Ещё не опубликован", "Not published yet";
    OdEdit => "Паспорт и загрузка", "Passport and upload";
    OdPublishNow => "Опубликовать сейчас", "Publish now";
    OdOutcomePublished => "Опубликована новая версия.", "A new version is published.";
    OdOutcomeUnchanged => "Данные не изменились с последней версии: новая версия не нужна.", "The data has not changed since the last version: no new version is needed.";
    OdPassportTitle => "Паспорт набора данных", "Dataset passport";
    OdViewDataset => "Страница набора", "Dataset page";
    OdCode => "Код набора (часть идентификатора после ИНН)", "Dataset code (the identifier's part after the INN)";
    OdCodeHint => "Строчные латинские буквы, цифры и дефисы, например parks-krasnodar. После создания не меняется.", "Lowercase Latin letters, digits and hyphens, e.g. parks-krasnodar. It never changes once created.";
    OdTitleRu => "Название (по-русски)", "Title (Russian)";
    OdTitleEn => "Название (по-английски)", "Title (English)";
    OdDescriptionRu => "Описание (по-русски)", "Description (Russian)";
    OdDescriptionEn => "Описание (по-английски)", "Description (English)";
    OdSubject => "Ключевые слова через запятую", "Keywords, comma separated";
    OdPublisherName => "Ответственное лицо", "Responsible person";
    OdPublisherPhone => "Телефон ответственного лица", "Responsible person's phone";
    OdPublisherMbox => "Электронная почта ответственного лица", "Responsible person's e-mail";
    OdValidDays => "Сколько дней версия актуальна", "Days a version stays current";
    OdSavePassport => "Сохранить паспорт", "Save the passport";
    OdSaved => "Паспорт сохранён.", "The passport is saved.";
    OdUploadTitle => "Новая версия из файла", "A new version from a file";
    OdUploadLead => "CSV в UTF-8 (разделитель — запятая или точка с запятой) или XLSX, до 30 МБ. Первая строка — названия столбцов. Перед публикацией проверьте поля и их форматы.", "CSV in UTF-8 (comma or semicolon separated) or XLSX, up to 30 MB. The first row names the columns. Review the fields and their formats before publishing.";
    OdUploadFile => "Файл данных", "Data file";
    OdUploadButton => "Загрузить и проверить", "Upload and review";
    OdUploading => "Файл загружается и читается…", "The file is being uploaded and read…";
    OdStructureTitle => "Структура: проверьте поля", "Structure: review the fields";
    OdUploadRows => "Строк данных:", "Data rows:";
    OdHeaderInFile => "Столбец в файле", "Column in the file";
    OdFieldName => "Поле (латиницей)", "Field (Latin)";
    OdFieldRu => "Описание по-русски", "Russian description";
    OdFieldEn => "Описание по-английски", "English description";
    OdTypeString => "Строка", "Text";
    OdTypeInteger => "Целое число", "Whole number";
    OdTypeNumber => "Число", "Number";
    OdTypeDate => "Дата", "Date";
    OdTypeBoolean => "Да/нет", "Yes/no";
    OdCoordinates => "Координаты точек (для карты)", "Point coordinates (for the map)";
    OdLatitude => "Широта", "Latitude";
    OdLongitude => "Долгота", "Longitude";
    OdNoCoordinates => "Нет", "None";
    OdSample => "Первые строки файла", "The file's first rows";
    OdPublishUpload => "Опубликовать версию", "Publish the version";
    OdCellProblems => "Значения не подходят к форматам столбцов, ничего не опубликовано. Исправьте файл или формат столбца:", "Some values do not fit their columns' formats; nothing was published. Fix the file or the column's format:";
    OdCellProblemsTotal => "Всего неподходящих ячеек:", "Cells that do not fit, in all:";
    OdRowWord => "Строка", "Row";
    OdRequestsTitle => "Запросы наборов данных", "Dataset requests";
    OdRequestLead => "Не нашли нужные данные? Попросите их опубликовать: запросы и ответы модераторов видны всем.", "Missing some data? Ask for it to be published: requests and the moderators' answers are public.";
    OdRequestSignIn => "войдите, чтобы запросить набор данных.", "sign in to request a dataset.";
    OdRequestTitleField => "Какие данные нужны", "What data you need";
    OdRequestDetails => "Зачем и в каком виде (необязательно)", "Why, and in what form (optional)";
    OdRequestSend => "Запросить набор", "Request the dataset";
    OdRequestSent => "Запрос отправлен. Ответ модераторов появится ниже.", "The request is sent. The moderators' answer will appear below.";
    OdRequestsNone => "Запросов пока нет.", "No requests yet.";
    OdAnswer => "Ответ", "Answer";
    OdAwaitingAnswer => "Ждёт ответа модераторов.", "Awaiting the moderators' answer.";
    OdAnswerField => "Ответ модератора (публичный)", "Moderator's answer (public)";
    OdAnswerDataset => "Идентификатор набора, который отвечает на запрос (необязательно)", "Identifier of the dataset that answers it (optional)";
    OdAnswerSend => "Ответить", "Answer";
    OdMapTitle => "Набор данных на карте", "The dataset on the map";
    OdApiTitle => "API открытых данных", "Open data API";
    OdApiLead => "Все адреса для программ: без ключей и регистрации, с любого сайта (CORS). Опубликованные версии не меняются, их можно кэшировать.", "Every address for programs: no keys, no sign-up, from any site (CORS). Published versions never change and may be cached.";
    OdApiFiles => "Файлы по методическим рекомендациям 3.0", "Files per the methodological recommendations v3.0";
    OdApiList => "Реестр наборов открытых данных", "The registry of open datasets";
    OdApiMeta => "Паспорт набора со ссылками на все версии", "A dataset's passport with links to every version";
    OdApiData => "Данные версии целиком (потоком, любого размера)", "A whole version's data (streamed, of any size)";
    OdApiPackage => "Описание пакета Frictionless Data", "The Frictionless Data package descriptor";
    OdApiDcat => "Каталог DCAT-AP в JSON-LD", "The DCAT-AP catalog in JSON-LD";
    OdApiRowsTitle => "Строки с фильтрами", "Rows with filters";
    OdApiRows => "Страница строк: фильтр по столбцам, сортировка, продолжение по курсору из поля next", "A page of rows: column filters, sorting, continued by the cursor in next";
    OdApiCkan => "Совместимо с CKAN: сборщики данных (ckanapi, ckanext-harvest, udata, data.europa.eu) читают каталог без настройки. Также по адресам /api/action/…", "CKAN-compatible: harvesters (ckanapi, ckanext-harvest, udata, data.europa.eu) read the catalogue as is. Also at /api/action/…";
    OdApiCkanList => "Имена всех наборов", "Every dataset's name";
    OdApiCkanShow => "Набор с ресурсами", "A dataset with its resources";
    OdApiCkanSearch => "Поиск наборов", "Dataset search";
    OdApiCkanStatus => "Сведения о портале", "About the portal";
    OdApiOpen311 => "Проблемы граждан по стандарту Open311", "Citizens' problems per the Open311 standard";
    AnalyticsByMunicipality => "По муниципалитетам", "By municipality";
    AnalyticsByStatus => "По статусам", "By status";
    AnalyticsByMonth => "По месяцам", "By month";
    AnalyticsReports => "Сообщений", "Reports";
    AnalyticsViolations => "Подтверждённых нарушений", "Confirmed violations";
    AnalyticsDensity => "Плотность сообщений на карте", "Report density on the map";
    AnalyticsPeriod => "За 12 месяцев с", "12 months from";
    AnalyticsReportsSection => "Сообщения граждан о стройках", "Citizens' reports about constructions";
    AnalyticsIllegalSection => "Реестр самовольных построек", "Registry of illegal constructions";
    AnalyticsIllegalShort => "Самовольные", "Illegal";
    AnalyticsIllegalEntries => "Выявлено построек", "Constructions identified";
    AnalyticsIllegalDecided => "Принято решение", "Decided";
    AnalyticsIllegalMap => "Самовольные постройки на карте", "Illegal constructions on the map";
    AnalyticsDaysToDecision => "Срок от выявления до решения", "Time from detection to decision";
    AnalyticsMedianDays => "медиана, дней", "median, days";
    AnalyticsMeanDays => "в среднем, дней", "mean, days";
    AnalyticsDecisions => "решений", "decisions";
    AnalyticsNoDecisions => "Решений за период ещё не принято.", "No decisions in the period yet.";
    AnalyticsDownload => "Скачать данные", "Download the figures";
    NavVerification => "Проверки строек", "Construction checks";
    NavRegistryImport => "Импорт реестра", "Registry import";
    NavRegionDashboard => "Показатели региона", "Region dashboard";
    DashTitle => "Показатели региона", "Region dashboard";
    DashLead => "Проблемы, сообщённые за период, и что с ними стало; каждое число открывает список за ним.", "Problems reported in the period and what became of them; every figure opens the list behind it.";
    DashPeriod => "Период", "Period";
    DashView => "Территория", "Area";
    DashWholeRegion => "Весь край", "The whole region";
    DashShow => "Показать", "Show";
    DashLastTwelveMonths => "Последние 12 месяцев", "The last 12 months";
    DashQuarter => "{quarter} квартал {year}", "Q{quarter} {year}";
    DashYear => "{year} год", "{year}";
    DashReceived => "Поступило", "Received";
    DashReacted => "С ответом", "Reacted to";
    DashOnTime => "Ответ в срок", "Reacted on time";
    DashOverdue => "Просрочено сейчас", "Overdue now";
    DashPlanned => "Запланировано", "Planned";
    DashResolved => "Решено", "Resolved";
    DashMedian => "Медиана реакции, ч", "Median reaction, h";
    DashP90 => "90% реакций быстрее, ч", "90% of reactions within, h";
    DashConstructionReports => "Сообщений о стройках", "Construction reports";
    DashViolations => "Подтверждено нарушений", "Violations confirmed";
    DashFresh => "Данные на", "Figures as of";
    DashNotYet => "Показатели ещё не рассчитаны: они появятся после первого прохода фоновой задачи (раз в минуту).", "The figures are not computed yet: they appear after the background job's first run (once a minute).";
    DashTrend => "Поступление и решение по месяцам", "Received and resolved by month";
    DashMap => "Карта: поступило проблем по муниципалитетам", "Map: problems received by municipality";
    DashUnrouted => "Ведомство не назначено", "No department yet";
    DashLawmakingLater => "Сроки и просрочки законодательных инициатив — на странице «Законотворчество» в разделе управления.", "The deadlines and overdue reactions of law-making initiatives are on the law-making page of the management area.";
    DashPriorities => "Приоритеты развития", "Development priorities";
    DashProvisional => "{quarter}, голосование идёт", "{quarter}, voting open";
    DashPublished => "Итоги: {quarter}", "Results: {quarter}";
    DashVoters => "проголосовали", "voters";
    DashVotes => "голосов", "votes";
    DashNoVotesYet => "Голосов пока нет.", "No votes yet.";
    DashNoResultsYet => "Итогов ещё нет.", "No results yet.";
    DashAllStandings => "Все места", "All standings";
    DashServices => "Оценка госуслуг: {month}", "Service ratings: {month}";
    DashNoServiceRanks => "Рейтингов госуслуг здесь пока нет.", "No service ranks here yet.";
    DashRankedOfferings => "услуг с местом", "services ranked";
    DashBestRated => "Лучшие оценки", "Best rated";
    DashWorstRated => "Худшие оценки", "Worst rated";
    DashAllServiceRanks => "Все места услуг", "All service ranks";
    SvcLead => "Граждане оценивают госуслуги по качеству, удобству и скорости; по итогам каждого месяца строится рейтинг исполнителей с опубликованным методом.", "Citizens rate government services on quality, convenience and speed; after each month a ranking of the providers is built by a published method.";
    SvcMonth => "Месяц", "Month";
    SvcShow => "Показать", "Show";
    SvcNoSnapshot => "Рейтинг ещё не построен: первый появится, когда закончится месяц с оценками.", "No ranking yet: the first appears when a month with ratings ends.";
    SvcNoSnapshotYet => "Рейтингов за прошлые месяцы ещё нет", "No ranking of a past month yet";
    SvcRanksOf => "Рейтинг за", "Ranking for";
    SvcRank => "Место", "Rank";
    SvcRankInService => "Место в услуге", "Rank in service";
    SvcLastRanked => "Последний рейтинг", "Last ranking";
    SvcHistoryTable => "Таблица по месяцам", "Table by month";
    SvcService => "Услуга", "Service";
    SvcProvider => "Исполнитель", "Provider";
    SvcProviders => "Исполнители", "Providers";
    SvcRatings => "Оценок", "Ratings";
    SvcQuality => "Качество", "Quality";
    SvcConvenience => "Удобство", "Convenience";
    SvcSpeed => "Скорость", "Speed";
    SvcScore => "Балл", "Score";
    SvcTooFew => "мало оценок", "too few ratings";
    SvcMethod => "Как считается рейтинг", "How the ranking is computed";
    SvcMethodText => "Каждая оценка — среднее трёх критериев (от 1 до 5). Балл исполнителя — байесовское среднее: к его оценкам за месяц добавляются {weight} оценок, равных среднему этой услуги по всему краю, поэтому несколько оценок не перевешивают многие. Место получает исполнитель, у которого за месяц не меньше {min} оценок; равные баллы делят место. Рейтинг месяца строится один раз и не меняется; число оценок и средние опубликованы, чтобы его можно было пересчитать. Версия метода: {version}.", "Each rating counts as the mean of its three criteria (1 to 5). A provider's score is a Bayesian average: {weight} ratings at the service's mean across the region are added to its ratings of the month, so a few ratings do not outweigh many. A provider is ranked when it has at least {min} ratings in the month; equal scores share a rank. A month's ranking is built once and never changes; the counts and means are published so that anyone can recompute it. Method version: {version}.";
    SvcCatalogue => "Услуги", "Services";
    SvcOpenMonth => "Сейчас принимаются оценки за {month}.", "Ratings are open for {month}.";
    SvcNotRated => "сейчас не оценивается", "not open for rating";
    SvcNoProviders => "У этой услуги пока нет исполнителей.", "This service has no providers yet.";
    SvcThisMonth => "Оценок в этом месяце (предварительно)", "Ratings this month (provisional)";
    SvcHistory => "По месяцам", "By month";
    SvcScoreChart => "Балл исполнителя по месяцам, от 1 до 5", "The provider's score by month, 1 to 5";
    SvcRateTitle => "Оценить услугу", "Rate the service";
    SvcRateHint => "Оценка за {month}: её можно изменить до конца месяца, отправив форму ещё раз.", "Rating for {month}: you can change it until the month ends by sending the form again.";
    SvcChooseMark => "Выберите оценку", "Choose a mark";
    SvcComment => "Отзыв (необязательно)", "Review (optional)";
    SvcCommentHint => "Отзыв публикуется под вашим именем в обсуждении услуги, один раз к оценке; исполнитель может на него ответить.", "The review is published under your name in the service's discussion, once per rating; the provider may answer it.";
    SvcSaveRating => "Сохранить оценку", "Save rating";
    SvcRated => "Оценка сохранена.", "Your rating is saved.";
    SvcSignInToRate => "чтобы оценить услугу.", "to rate the service.";
    SvcReviews => "Отзывы и ответы исполнителей", "Reviews and providers' answers";
    SvcNoReviews => "Отзывов пока нет.", "No reviews yet.";
    SvcAnswer => "Ответить от имени исполнителя", "Answer as the provider";
    SvcAnswered => "Исполнитель ответил на ваш отзыв об услуге", "The provider answered your review of the service";
    SvcPublishAnswer => "Опубликовать ответ", "Publish the answer";
    ManageServices => "Каталог госуслуг", "Service catalogue";
    SvcNewService => "Новая услуга", "New service";
    SvcEditService => "Изменить услугу", "Edit service";
    SvcOpenForRating => "Принимает оценки", "Open for rating";
    SvcAddProvider => "Добавить исполнителя", "Add a provider";
    SvcAdd => "Добавить", "Add";
    SvcImportTitle => "Импорт из таблицы", "Import from a spreadsheet";
    SvcImportHint => "Файл Excel (.xlsx или .xls), одна строка на услугу. Столбцы: «Код», «Название», «Название (англ.)», «Уровень» (региональная или муниципальная); по желанию «Описание», «Описание (англ.)» и «Исполнители» (коды ведомств через точку с запятой). Услуга с известным кодом изменяется, с новым — добавляется; исполнители только добавляются. Если не принята хотя бы одна строка, не записывается ничего.", "An Excel file (.xlsx or .xls), one row per service. Columns: \"slug\", \"name_ru\", \"name_en\" (or Код, Название, Название (англ.)), \"level\" (regional or municipal); optionally \"description_ru\", \"description_en\" and \"providers\" (department codes separated by semicolons). A service with a known code is changed, one with a new code is added; providers are only added. If any row is refused, nothing is written.";
    SvcImportFile => "Файл", "File";
    SvcImportSend => "Импортировать", "Import";
    SvcImported => "Готово: добавлено услуг — {created}, изменено — {updated}, добавлено исполнителей — {providers}.", "Done: {created} services added, {updated} changed, {providers} providers added.";
    SvcImportRow => "Строка", "Row";
    SvcImportMissingColumn => "В заголовке нет столбца", "The header has no column";
    PriLead => "Голосуйте за приоритеты развития края и своего муниципалитета: у каждого жителя несколько голосов в квартал. Голос учитывается в муниципалитете, где вы живёте, и в крае; по итогам квартала строится рейтинг с опубликованным методом.", "Vote for the development priorities of the region and of your municipality: every resident has a few votes a quarter. A vote counts in the municipality you live in and in the region; after each quarter a ranking is built by a published method.";
    PrioritiesBlurb => "Голосуйте за приоритеты развития края и муниципалитетов; рейтинг строится каждый квартал.", "Vote for the development priorities of the region and the municipalities; they are ranked every quarter.";
    PriRegional => "весь край", "the whole region";
    PriWholeRegion => "Краснодарский край", "Krasnodar Krai";
    PriTooFew => "мало голосов", "not enough votes";
    PriNew => "новый", "new";
    PriStatusProposed => "предложен, на модерации", "proposed, awaiting moderation";
    PriStatusOpen => "открыт для голосования", "open for voting";
    PriStatusRejected => "отклонён", "rejected";
    PriStatusClosed => "голосование закрыто", "voting closed";
    PriMethod => "Как считается рейтинг", "How the ranking is computed";
    PriMethodText => "У каждого жителя {votes} голосов в квартал, не больше одного за приоритет; до конца квартала голос можно отозвать и отдать другому. Голос учитывается в муниципалитете, где человек жил в момент голосования, и в крае. Место — по числу голосов, равные числа делят место; доля — голоса, делённые на число проголосовавших в этом муниципалитете. Место получает муниципалитет (и край), где проголосовали не меньше {min} человек; иначе показывается «мало голосов». Для края публикуются два рейтинга: по голосам и взвешенный — доля приоритета в каждом муниципалитете, где проголосовали не меньше {min} человек, умножается на долю этого муниципалитета в их общем населении, и произведения складываются: муниципалитет, где онлайн голосуют чаще, не говорит за остальных. Рейтинг квартала строится один раз и не меняется; голоса, число проголосовавших и население опубликованы, чтобы его можно было пересчитать. Версия метода: {version}.", "Every resident has {votes} votes a quarter, at most one per priority; until the quarter ends a vote can be withdrawn and given to another. A vote counts in the municipality the person lived in when voting, and in the region. Priorities are ranked by votes, equal counts sharing a rank; the share is the votes divided by the number of people who voted there. A municipality (and the region) gets a rank when at least {min} people voted there; otherwise it shows \"not enough votes\". The region has two rankings: by votes, and weighted: the priority's share in each municipality where at least {min} people voted is multiplied by that municipality's part of their combined population, and the products are added up, so a municipality where more people vote online does not speak for the others. A quarter's ranking is built once and never changes; the votes, voter counts and populations are published so that anyone can recompute it. Method version: {version}.";
    PriRank => "Место", "Rank";
    PriMovement => "Изменение", "Change";
    PriPriority => "Приоритет", "Priority";
    PriWhere => "Где", "Where";
    PriVotes => "Голосов", "Votes";
    PriVoters => "Проголосовали", "Voters";
    PriShare => "Доля проголосовавших", "Share of voters";
    PriWeightedShare => "Взвешенная доля", "Weighted share";
    PriWeightedRank => "Место (взвешенное)", "Rank (weighted)";
    PriYourVote => "Ваш голос", "Your vote";
    PriScope => "Территория", "Area";
    PriQuarter => "Квартал", "Quarter";
    PriProvisional => "идёт голосование", "voting open";
    PriProvisionalNotice => "Квартал ещё идёт: места предварительные и могут измениться. Итоговый рейтинг строится после окончания квартала и больше не меняется.", "The quarter is still open: the ranks are provisional and may change. The final ranking is built when the quarter ends and never changes afterwards.";
    PriSignInToVote => "чтобы голосовать и предлагать приоритеты.", "to vote and to propose priorities.";
    PriNotEnoughVoters => "Здесь проголосовали меньше {min} человек: места не присваиваются, показаны только голоса.", "Fewer than {min} people voted here: no ranks are given, only the votes are shown.";
    PriNoVotes => "Голосов пока нет.", "No votes yet.";
    PriOtherOpen => "Другие приоритеты, за которые можно проголосовать", "Other priorities you can vote for";
    PriVotesLeft => "Осталось голосов: {left} из {budget}.", "Votes left: {left} of {budget}.";
    PriCountsFor => "Ваши голоса учитываются в муниципалитете: {home}.", "Your votes count in: {home}.";
    PriMovedThisQuarter => "Муниципалитет проживания в этом квартале уже меняли; следующая смена — в следующем квартале.", "Your home municipality was changed this quarter; the next change is possible next quarter.";
    PriChangeHome => "Сменить муниципалитет проживания", "Change your home municipality";
    PriChangeHomeHint => "Раз в квартал, с указанием причины. Уже отданные голоса остаются там, где были учтены.", "Once a quarter, with a reason. Votes already given stay where they were counted.";
    PriReason => "Причина", "Reason";
    PriVote => "Голосовать", "Vote";
    PriWithdraw => "Отозвать голос", "Withdraw the vote";
    PriNoVotesLeft => "Все голоса квартала отданы: отзовите один, чтобы проголосовать здесь.", "All the quarter's votes are given: withdraw one to vote here.";
    PriChooseTheme => "Выберите тему", "Choose a theme";
    PriTitle => "Название", "Title";
    PriDescription => "Что предлагается и зачем", "What is proposed and why";
    PriPlaceHint => "Место на карте — по желанию: точка на карте или её широта и долгота.", "A place on the map is optional: a point on the map, or its latitude and longitude.";
    PriPropose => "Предложить приоритет", "Propose a priority";
    PriProposeHint => "Предложение публикуется после проверки модератором; о решении придёт уведомление.", "A proposal is published once a moderator checks it; you are notified of the decision.";
    PriProposalSent => "Предложение отправлено на модерацию.", "Your proposal is sent for moderation.";
    PriSendProposal => "Отправить предложение", "Send the proposal";
    PriDecisionReason => "Решение модератора", "Moderator's decision";
    PriPlace => "Место приоритета на карте", "The priority's place on the map";
    PriHistory => "Место в крае по кварталам", "Rank in the region by quarter";
    PriRankChart => "Место приоритета в крае по кварталам (1 — вверху)", "The priority's rank in the region by quarter (1 at the top)";
    PriWhereVotes => "Откуда голоса: по муниципалитетам голосовавших", "Where the votes come from: by the voters' municipality";
    PriDiscussion => "Обсуждение", "Discussion";
    PriNoComments => "Комментариев пока нет.", "No comments yet.";
    PriSendComment => "Отправить комментарий", "Send the comment";
    PriManageTitle => "Приоритеты развития", "Development priorities";
    PriNewPriority => "Новый приоритет", "New priority";
    PriPublish => "Опубликовать", "Publish";
    PriReject => "Отклонить", "Reject";
    PriClose => "Закрыть голосование", "Close the voting";
    PriReopen => "Открыть снова", "Reopen";
    PriEdit => "Изменить", "Edit";
    PriSave => "Сохранить", "Save";
    PriAccepted => "Ваше предложение приоритета опубликовано", "Your proposed priority is published";
    PriRejected => "Ваше предложение приоритета отклонено", "Your proposed priority was rejected";
    SketchLine => "Маршрут (линия)", "Route (a line)";
    SketchPoints => "Остановки (точки)", "Stops (points)";
    SketchArea => "Зона (область)", "Zone (an area)";
    SketchHint => "Выберите, что рисуете, и нажимайте на карту: каждое нажатие ставит точку. Рисунок необязателен.", "Choose what you draw and tap the map: every tap adds a point. The drawing is optional.";
    SketchCount => "Точек на карте: {count}", "Points drawn: {count}";
    SketchUndo => "Убрать последнюю точку", "Remove the last point";
    SketchClear => "Очистить рисунок", "Clear the drawing";
    SolLead => "Власти публикуют известные проблемы города — транспорт, дороги, благоустройство, нормативы, — а жители предлагают решения, рисуют их на карте, обсуждают и поддерживают. На каждое решение владелец задачи даёт публичный ответ.", "Officials publish known city problems (transport, roads, public spaces, regulations) and residents propose solutions, draw them on the map, discuss and support them. The owner gives every solution a public answer.";
    SolAllPlaces => "Все муниципалитеты", "All municipalities";
    SolAllThemes => "Все темы", "All themes";
    SolOnlyOpen => "Только открытые для предложений", "Only those open for proposals";
    SolChallengesMap => "Задачи на карте", "Challenges on the map";
    SolChallengeMap => "Задача и предложенные решения на карте", "The challenge and the proposed solutions on the map";
    SolNoChallenges => "Задач пока нет.", "No challenges yet.";
    SolWholeRegion => "Весь край", "The whole region";
    SolSolutionCount => "Решений: {count}", "Solutions: {count}";
    SolProposalsUntil => "Предложения принимаются до {date}", "Proposals until {date}";
    SolProposalsEnded => "Приём предложений закончился {date}", "Proposals closed on {date}";
    SolProposalsUntilLabel => "Последний день приёма предложений", "The last day for proposals";
    SolPublish => "Опубликовать задачу", "Publish a challenge";
    SolPublished => "Задача опубликована.", "The challenge is published.";
    SolOpenChallenge => "Открыть задачу", "Open the challenge";
    SolOwner => "Кто отвечает на решения", "Who answers the solutions";
    SolOwnerModerators => "Модераторы портала", "The portal's moderators";
    SolTitle => "Заголовок", "Title";
    SolDescription => "Описание", "Description";
    SolArea => "Место задачи на карте", "The challenge's place on the map";
    SolSketch => "Решение на карте", "The solution on the map";
    SolSolutions => "Предложенные решения", "Proposed solutions";
    SolSort => "Порядок решений", "Order of the solutions";
    SolSortSupports => "По поддержке", "By support";
    SolSortNewest => "Сначала новые", "Newest first";
    SolSortedBySupports => "Сначала решения с наибольшей поддержкой.", "The most supported solutions first.";
    SolSortedByDate => "Сначала новые решения.", "The newest solutions first.";
    SolNoSolutions => "Решений пока не предложено.", "No solutions proposed yet.";
    SolSignInToPropose => "чтобы предложить решение.", "to propose a solution.";
    SolClosedNotice => "Приём решений по этой задаче закончился; обсуждать и поддерживать предложенные решения можно по-прежнему.", "This challenge no longer takes solutions; the proposed ones can still be discussed and supported.";
    SolPropose => "Предложить решение", "Propose a solution";
    SolSendSolution => "Отправить решение", "Send the solution";
    SolProposed => "Решение опубликовано.", "The solution is published.";
    SolOpenSolution => "Открыть решение", "Open the solution";
    SolHasSketch => "есть рисунок на карте", "drawn on the map";
    SolSupports => "Поддержали: {count}", "Supporters: {count}";
    SolComments => "Комментариев: {count}", "Comments: {count}";
    SolSupport => "Поддержать", "Support";
    SolWithdrawSupport => "Отозвать поддержку", "Withdraw support";
    SolStatus => "Статус", "Status";
    SolAllStatuses => "Все статусы", "All statuses";
    SolStatusUnderConsideration => "На рассмотрении", "Under consideration";
    SolStatusAccepted => "Принято", "Accepted";
    SolStatusInWork => "В работе", "In work";
    SolStatusImplemented => "Реализовано", "Implemented";
    SolStatusDeclined => "Отклонено", "Declined";
    SolOwnerAnswer => "Ответ владельца задачи", "The owner's answer";
    SolAnswer => "Ответить на решение", "Answer the solution";
    SolReason => "Публичное обоснование", "Public reason";
    SolSendAnswer => "Опубликовать ответ", "Publish the answer";
    SolDiscussion => "Обсуждение", "Discussion";
    SolNoComments => "Комментариев пока нет.", "No comments yet.";
    SolNoticeProposed => "Предложено новое решение задачи", "A new solution was proposed to the challenge";
    SolNoticeAnswered => "Владелец задачи ответил на решение", "The challenge's owner answered the solution";
    LnkHeading => "Связано", "Linked";
    LnkBecameInitiative => "Стало законодательной инициативой", "Became a law-making initiative";
    LnkGrewOutOfSolution => "Выросла из решения горожан", "Grew out of a citizens' solution";
    LnkConcernsProblem => "Проблема", "Problem";
    LnkConcernsInitiative => "Инициатива", "Initiative";
    LnkInChallenge => "Задача для решений горожан", "Challenge for citizens' solutions";
    LnkTurnHeading => "Превратить в законодательную инициативу", "Turn into a law-making initiative";
    LnkTurnHint => "Инициатива сразу публикуется как концепция; уровень и тема — как у задачи. Поправьте тексты под инициативу.", "The initiative is published as a concept at once, at the challenge's level and theme. Adapt the texts to an initiative.";
    LnkTurnSubmit => "Создать инициативу", "Create the initiative";
    LnkTurned => "Инициатива создана:", "The initiative is created:";
    LnkLinkHeading => "Связать с проблемой или инициативой", "Link to a problem or an initiative";
    LnkKind => "Что связать", "What to link";
    LnkProblem => "Проблема гражданского контроля", "A problem of citizens' control";
    LnkInitiative => "Законодательная инициатива", "A law-making initiative";
    LnkNumber => "Номер", "Number";
    LnkLinkSubmit => "Связать", "Link";
    LnkUnlink => "Убрать связь", "Unlink";
    LnkProposeOnProblem => "Предложить, как решить", "Propose how to fix it";
    LnkProposeHint => "Решения этой проблемы собираются в задаче для решений горожан: там их обсуждают и поддерживают, а ответственный орган отвечает на каждое.", "Solutions to this problem are gathered in a challenge for citizens' solutions: others discuss and support them there, and the responsible body answers each.";
    LnkNoticeInitiative => "Решение стало законодательной инициативой", "The solution became a law-making initiative";
    PplProfile => "Профиль", "Profile";
    PplProfileHint => "Имя и «о себе» видны всем. Остальное в профиле видно, только если вы это отметите.", "Your name and \"about me\" are public. The rest shows on your profile only if you tick it.";
    PplAbout => "О себе", "About me";
    PplAvatar => "Фото профиля", "Profile photo";
    PplRemoveAvatar => "Убрать фото профиля", "Remove the profile photo";
    PplShowHeading => "Что видно всем в моём профиле", "What anyone sees on my profile";
    PplShowMunicipality => "Мой муниципалитет", "My municipality";
    PplShowProblems => "Мои проблемы (прошедшие модерацию)", "My problems (those that passed moderation)";
    PplShowSolutions => "Мои решения", "My solutions";
    PplShowInitiatives => "Мои инициативы (прошедшие модерацию)", "My initiatives (those that passed moderation)";
    PplShowComments => "Мои комментарии (кроме скрытых)", "My comments (except hidden ones)";
    PplSaved => "Профиль сохранён.", "The profile is saved.";
    PplOpenProfile => "Мой профиль, как его видят другие", "My profile as others see it";
    PplMemberSince => "На портале с", "Member since";
    PplFollowers => "Подписчиков: {count}", "Followers: {count}";
    PplFollow => "Подписаться", "Follow";
    PplUnfollow => "Отписаться", "Unfollow";
    PplProblems => "Проблемы", "Problems";
    PplSolutions => "Решения", "Solutions";
    PplInitiatives => "Инициативы", "Initiatives";
    PplComments => "Комментарии", "Comments";
    PplNothingShown => "Больше в профиле ничего не показано.", "Nothing more is shown on this profile.";
    PplNothingYet => "Пока ничего.", "Nothing yet.";
    PplCommentOn => "к", "on";
    PplEdit => "Изменить профиль", "Edit the profile";
    PplBlock => "Заблокировать", "Block";
    PplUnblock => "Разблокировать", "Unblock";
    PplBlockedNotice => "Вы заблокировали этого человека: он не может комментировать ваши публикации и подписываться на вас.", "You blocked this person: they cannot comment on your publications or follow you.";
    PplPublications => "Публикации", "Publications";
    AccYourData => "Мои данные", "My data";
    AccDownloadHelp => "Всё, что вы создали на портале: профиль, проблемы, комментарии, публикации, решения, инициативы, голоса, подписки, переписка и ваши фотографии — одним архивом (JSON и фото).", "Everything you created on the portal: profile, problems, comments, publications, solutions, initiatives, votes, follows, conversations and your photos, in one archive (JSON and the photos).";
    AccDownload => "Скачать мои данные (ZIP)", "Download my data (ZIP)";
    AccDelete => "Удалить аккаунт", "Delete the account";
    AccDeleteHelp => "Вход, профиль, подписки, блокировки, уведомления и переписка удаляются. Ваши проблемы, комментарии, публикации и голоса остаются, чтобы обсуждения не рвались, но подписаны «Удалённый пользователь». Восстановить аккаунт нельзя.", "Your sign-in, profile, follows, blocks, notifications and conversations are deleted. Your problems, comments, publications and votes stay, so that discussions do not break, but are signed \"Deleted user\". The account cannot be restored.";
    AccDeleteConfirm => "Я понимаю, что удаление необратимо", "I understand that deletion cannot be undone";
    AccDeleteForever => "Удалить аккаунт навсегда", "Delete the account for good";
    NavReports => "Жалобы", "Reports";
    ModReport => "Пожаловаться", "Report";
    ModReportReason => "Причина жалобы", "Reason of the report";
    ModSendReport => "Отправить модераторам", "Send to the moderators";
    ModReportSent => "Жалоба отправлена модераторам. Спасибо!", "The report was sent to the moderators. Thank you!";
    ModQueue => "Жалобы на публикации, профили и сообщения", "Reports of publications, profiles and messages";
    ModQueueHelp => "Решение и его причину автор увидит в уведомлениях. Скрыть можно публикацию; ограничение запрещает автору писать, публиковать и комментировать на заданное число дней.", "The author sees the decision and its reason in their notifications. A publication can be hidden; a suspension stops the author writing, publishing and commenting for the given days.";
    ModNoReports => "Новых жалоб нет.", "No open reports.";
    ModKindPublication => "Публикация", "Publication";
    ModKindPerson => "Профиль", "Profile";
    ModKindMessage => "Сообщение", "Message";
    ModKindGallery => "Галерея", "Gallery";
    ModKindChallenge => "Задача города", "Challenge";
    ModKindSolution => "Решение", "Solution";
    ModRemove => "Удалить содержимое", "Remove the content";
    ModNoticeRemoved => "Модераторы удалили ваш материал", "The moderators removed something you published";
    ModDecision => "Решение", "Decision";
    ModHide => "Скрыть", "Hide it";
    ModWarn => "Предупредить автора", "Warn the author";
    ModSuspend => "Ограничить автора", "Suspend the author";
    ModDismiss => "Отклонить жалобы", "Dismiss the reports";
    ModDays => "Дней ограничения", "Days of suspension";
    ModDecisionReason => "Причина (её увидит автор)", "Reason (the author reads it)";
    ModApply => "Применить", "Apply";
    ModHiddenNotice => "Модераторы скрыли эту публикацию, её видите только вы. Причина:", "The moderators hid this publication; only you see it. Reason:";
    ModNoticeHidden => "Модераторы скрыли ваш материал", "The moderators hid something you published";
    ModNoticeWarned => "Предупреждение модераторов", "A warning from the moderators";
    ModNoticeSuspended => "Модераторы ограничили ваш аккаунт", "The moderators suspended your account";
    DmMessages => "Сообщения", "Messages";
    DmConversation => "Переписка", "Conversation";
    DmNoConversations => "Переписок пока нет. Написать человеку можно со страницы его профиля.", "No conversations yet. You can write to a person from their profile page.";
    DmMessage => "Сообщение", "Message";
    DmSend => "Отправить", "Send";
    DmYou => "Вы", "You";
    DmAboutProblem => "О проблеме", "About the problem";
    DmProblemConversations => "Переписка с автором", "Conversation with the author";
    DmWriteToAuthor => "Написать автору", "Write to the author";
    DmWrite => "Написать сообщение", "Write a message";
    PubOfficialNews => "Официально", "Official";
    PubLike => "Нравится", "Like";
    PubLikes => "Нравится:", "Likes:";
    PubComments => "Комментарии: {count}", "Comments: {count}";
    PubWrite => "Новая публикация", "New publication";
    PubTextHint => "Обычный текст: ссылки станут ссылками, разметка показывается как есть.", "Plain text: web addresses become links, markup shows as typed.";
    PubVoice => "От чьего имени", "Publish as";
    PubVoiceOwn => "От своего имени", "Myself";
    PubPublish => "Опубликовать", "Publish";
    PubFeeds => "Ленты", "Feeds";
    PubFeedFollowing => "Мои подписки", "Following";
    PubFeedEveryone => "Все публикации", "Everyone";
    PubSignInToPublish => "Войдите, чтобы публиковать, подписываться на людей и ведомства и видеть их публикации в своей ленте.", "Sign in to publish, follow people and departments and read them in your feed.";
    PubFeedEmpty => "Публикаций пока нет. Подпишитесь на людей или ведомства, чтобы видеть их публикации здесь.", "No publications yet. Follow people or departments to see theirs here.";
    PubOlder => "Более ранние", "Older";
    PubDepartmentNews => "Новости ведомства", "The department's news";
    PubPublication => "Публикация", "Publication";
    PubNoticeCommented => "Новый комментарий к публикации", "A new comment on a publication";
    NtfSettings => "Уведомления по темам", "Notifications by topic";
    NtfSettingsHelp => "Для каждой темы выберите, куда приходят уведомления о том, на что вы подписаны. «Как обычно» — колокольчик, а почта — как в общей настройке выше. Решения модераторов и рабочие уведомления приходят всегда.", "For each topic, choose where notifications of what you follow arrive. \"As usual\" is the bell, and e-mail as the general setting above says. Moderators' decisions and work notifications always arrive.";
    NtfTopicProblems => "Проблемы", "Problems";
    NtfTopicConstruction => "Сообщения о стройках", "Construction reports";
    NtfTopicInitiatives => "Законотворческие инициативы", "Law-making initiatives";
    NtfTopicChallenges => "Задачи города (приём решений)", "City challenges";
    NtfTopicSolutions => "Предложенные решения", "Proposed solutions";
    NtfTopicPublications => "Публикации", "Publications";
    NtfTopicServices => "Ответы на оценки услуг", "Answers to service ratings";
    NtfTopicPriorities => "Предложенные приоритеты", "Proposed priorities";
    NtfDeliveryDefault => "Как обычно", "As usual";
    NtfDeliveryBellAndMail => "Колокольчик и почта", "Bell and e-mail";
    NtfDeliveryBellOnly => "Только колокольчик", "Bell only";
    NtfDeliveryOff => "Не уведомлять", "Off";
    SolFollowChallenge => "Следить за решениями", "Follow new solutions";
    SolHiddenNotice => "Модераторы скрыли это, теперь это видите только вы. Причина:", "The moderators hid this; only you see it now. Reason:";
    ActFeed => "События", "Activity";
    ActMunicipalities => "Муниципалитеты, за которыми я слежу", "Municipalities I follow";
    ActNoMunicipalities => "Пока ни одного. Новые проблемы, задачи и инициативы муниципалитета появятся в ленте событий.", "None yet. New problems, challenges and initiatives of a municipality you follow appear in this feed.";
    ActFollowMunicipality => "Следить за муниципалитетом", "Follow a municipality";
    ActEmpty => "Событий пока нет. Подпишитесь на людей, муниципалитеты или задачи города, чтобы видеть здесь, что они делают и что нового.", "No events yet. Follow people, municipalities or city challenges to see here what they do and what is new.";
    ActProblem => "Проблема", "Problem";
    ActSolution => "Решение", "Solution";
    ActInitiative => "Инициатива", "Initiative";
    ActChallenge => "Задача города", "Challenge";
    GalGalleries => "Фотогалереи", "Galleries";
    GalNew => "Новая галерея", "New gallery";
    GalNoneYet => "Галерей пока нет.", "No galleries yet.";
    GalPhotos => "Фото: {count}", "Photos: {count}";
    GalPhoto => "Фотография", "Photo";
    GalPublic => "Видна всем", "Public";
    GalFollowers => "Только подписчикам", "Followers only";
    GalTitle => "Название", "Title";
    GalDescription => "Описание", "Description";
    GalAudience => "Кто видит галерею", "Who sees the gallery";
    GalAudienceHint => "Её также видит любой, у кого есть ссылка для доступа.", "Anyone holding its share link sees it too.";
    GalCreate => "Создать галерею", "Create the gallery";
    GalHiddenNotice => "Модераторы скрыли эту галерею, её видите только вы. Причина:", "The moderators hid this gallery; only you see it. Reason:";
    GalNoPhotos => "В галерее пока нет фотографий.", "No photos in the gallery yet.";
    GalCaption => "Подпись", "Caption";
    GalAddPhotos => "Добавить фотографии", "Add photos";
    GalShareLink => "Ссылка для доступа", "Share link";
    GalShareHelp => "Любой, у кого есть эта ссылка, увидит галерею, даже если она только для подписчиков. Замените ссылку, и старая перестанет работать.", "Anyone holding this link sees the gallery, even a followers-only one. Replace the link and the old one stops working.";
    GalRenewLink => "Заменить ссылку", "Replace the link";
    GalSettings => "Название и доступ", "Title and access";
    GalDelete => "Удалить галерею", "Delete the gallery";
    GalDeleteConfirm => "Удалить галерею вместе со всеми её фотографиями", "Delete the gallery with all its photos";
    DrillFiltered => "Список отфильтрован по ссылке из показателей:", "The list is filtered by a dashboard link:";
    DrillReset => "Сбросить", "Reset";
    DrillReported => "сообщены", "reported";
    DrillSubmitted => "поданы", "submitted";
    DrillViolations => "нарушение подтверждено (в том числе приняты меры)", "violation confirmed (measures may since have been taken)";
    // Law-making.
    LawmakingLead => "Предложите региональный или муниципальный нормативный акт: концепция собирает поддержку, затем проходит обсуждение, разработку текста, экспертизу и ответ власти — каждый шаг и его причина видны всем.", "Propose a regional or municipal regulation: a concept collects supports, then goes through discussion, drafting, expertise and the government's answer; every step and its reason are public.";
    ProposeInitiative => "Предложить инициативу", "Propose an initiative";
    SubmitInitiative => "Отправить на модерацию", "Send for moderation";
    NoInitiatives => "Инициатив с такими условиями нет.", "No initiatives match.";
    NavInitiativeModeration => "Инициативы на модерации", "Initiatives in moderation";
    FilterLevel => "Уровень", "Level";
    FilterStage => "Этап", "Stage";
    LevelRegion => "Краснодарский край (региональный уровень)", "Krasnodar Krai (regional)";
    Stages => "Этапы", "Stages";
    StageUntil => "до", "until";
    StageModeration => "На модерации", "In moderation";
    StageRefused => "Отклонена модератором", "Refused by a moderator";
    StageConcept => "Концепция", "Concept";
    StageDiscussion => "Обсуждение идеи", "Idea discussion";
    StageDrafting => "Разработка текста", "Drafting";
    StageExpertise => "Экспертиза", "Expertise";
    StageReaction => "Ответ власти", "Government reaction";
    StageAdopted => "Принята", "Adopted";
    StageRejected => "Отклонена властью", "Rejected";
    StageWithdrawn => "Отозвана автором", "Withdrawn";
    StageArchived => "В архиве", "Archived";
    ResponsibleBody => "Ответственный орган", "Responsible body";
    NoResponsibleBody => "Будет назначен модератором", "To be assigned by a moderator";
    InitiativeAuthor => "Автор", "Author";
    ProposedAt => "Предложена", "Proposed";
    InitiativeTitle => "Название", "Title";
    InitiativeProblem => "Проблема", "Problem";
    InitiativeGoal => "Цель", "Goal";
    InitiativeProposal => "Предлагаемое регулирование", "Proposed regulation";
    SupportThresholds => "Пороги поддержки концепций", "Support thresholds of concepts";
    SupportThresholdsNote => "Столько поддержек нужно новой концепции за время сбора, чтобы перейти к обсуждению. Уже предложенные концепции сохраняют свой порог.", "The supports a new concept needs within its window to go on to discussion. Concepts already proposed keep their threshold.";
    ThresholdSetAt => "установлен", "set";
    ThresholdRule => "Концепция переходит к обсуждению, собрав поддержку (край / городской округ / муниципальный район):", "A concept goes on to discussion once supported by (region / city okrug / municipal district):";
    InitiativeSteps => "Действия", "Steps";
    StepReason => "Причина (будет опубликована)", "Reason (published)";
    InitiativePublish => "Опубликовать концепцию", "Publish the concept";
    InitiativeRefuse => "Отклонить", "Refuse";
    InitiativeAdvance => "Открыть обсуждение досрочно", "Open the discussion now";
    InitiativeReachThreshold => "Порог поддержки достигнут", "Support threshold reached";
    InitiativeExpire => "Срок сбора поддержки истёк", "Support window ended";
    InitiativeCloseDiscussion => "Завершить обсуждение", "Close the discussion";
    InitiativeStartDrafting => "Перейти к разработке текста", "Start drafting";
    InitiativeStartExpertise => "Передать на экспертизу", "Send to the experts";
    InitiativeCloseExpertise => "Завершить экспертизу", "Close the expertise";
    InitiativeAdopt => "Принять", "Adopt";
    InitiativeSendBack => "Вернуть на доработку", "Send back for revision";
    InitiativeReject => "Отклонить по существу", "Reject";
    InitiativeWithdraw => "Отозвать инициативу", "Withdraw the initiative";
    InitiativeArchive => "Отправить в архив", "Archive";
    InitiativeHistory => "История", "History";
    EventInitiativeProposed => "Инициатива предложена", "Initiative proposed";
    EventInitiativePublished => "Концепция опубликована, начат сбор поддержки", "Concept published; supports are collected";
    EventInitiativeRefused => "Отклонена модератором", "Refused by a moderator";
    EventInitiativeAdvanced => "Обсуждение открыто решением модератора", "Discussion opened by a moderator's decision";
    EventInitiativeThresholdReached => "Порог поддержки достигнут, открыто обсуждение", "Support threshold reached; the discussion is open";
    EventInitiativeNotSupported => "Не набрала поддержки в срок, в архиве", "Not supported in time; archived";
    EventInitiativeDiscussionClosed => "Обсуждение завершено, начата разработка текста", "Discussion closed; drafting begins";
    EventInitiativeDraftingStarted => "Начата разработка текста", "Drafting started";
    EventInitiativeExpertiseStarted => "Передана на экспертизу", "Sent to the experts";
    EventInitiativeExpertiseClosed => "Экспертиза завершена, ожидается ответ власти", "Expertise closed; the government's reaction is due";
    EventInitiativeAdopted => "Принята", "Adopted";
    EventInitiativeSentBack => "Возвращена на доработку", "Sent back for revision";
    EventInitiativeRejected => "Отклонена", "Rejected";
    EventInitiativeWithdrawn => "Отозвана автором", "Withdrawn by the author";
    EventInitiativeArchived => "Отправлена в архив", "Archived";
    EventInitiativeVersionPublished => "Опубликована новая редакция текста", "A new version of the text was published";
    EventAmendmentDecided => "Принято решение по поправке", "An amendment was decided";
    EventConclusionPublished => "Эксперт опубликовал заключение", "An expert published a conclusion";
    EventRemarkDecided => "Принято решение по замечанию эксперта", "An expert remark was decided";
    EventExpertAssigned => "Вы назначены экспертом инициативы", "You were made an expert of an initiative";
    EventBodyReassigned => "Инициатива передана другому ответственному органу", "The initiative was handed to another responsible body";
    ReassignInitiative => "Передать другому органу", "Hand to another body";
    EventAuthorEditingAllowed => "Автору разрешено редактировать текст", "The author may edit the text";
    EventAuthorEditingWithdrawn => "Автор больше не редактирует текст", "The author no longer edits the text";
    AllowAuthorEditing => "Разрешить автору редактировать текст", "Let the author edit the text";
    WithdrawAuthorEditing => "Забрать у автора редактирование текста", "Take the editing back from the author";
    AuthorEditsText => "Ответственный орган и автор инициативы", "The responsible body and the initiative's author";
    TextEditors => "Текст редактируют", "Text edited by";
    EventReactionReminder => "Скоро истекает срок ответа по инициативе", "The reaction to an initiative is due soon";
    EventReactionOverdue => "Срок ответа власти истёк", "The government's reaction is overdue";
    EventReactionEscalated => "Просроченный ответ передан вышестоящему органу", "The overdue reaction went to the supervising body";
    Expertise => "Экспертиза", "Expertise";
    Experts => "Эксперты", "Experts";
    NoExperts => "Эксперты ещё не назначены.", "No experts are assigned yet.";
    ExpertWaiting => "ждёт одобрения модератора", "waiting for a moderator's approval";
    VolunteerAsExpert => "Вызваться экспертом", "Volunteer as an expert";
    AssignExpert => "Назначить экспертом", "Make an expert";
    ApproveExpert => "Одобрить", "Approve";
    ExpertCandidate => "Эксперт", "Expert";
    Conclusions => "Заключения экспертов", "Expert conclusions";
    NoConclusions => "Заключений пока нет.", "No conclusions yet.";
    UnderExpertise => "Редакция на экспертизе", "Version under expertise";
    PublishConclusion => "Опубликовать заключение", "Publish the conclusion";
    ConclusionVerdict => "Вывод", "Verdict";
    ConclusionText => "Текст заключения", "The conclusion";
    VerdictSupport => "Поддержать", "Support";
    VerdictSupportWithRemarks => "Поддержать с замечаниями", "Support with remarks";
    VerdictReject => "Отклонить", "Reject";
    Remarks => "Замечания", "Remarks";
    RemarkNumber => "Замечание", "Remark";
    AddRemark => "Ещё замечание", "Another remark";
    RemarkCategoryLabel => "Категория", "Category";
    RemarkText => "Текст замечания", "The remark";
    CategoryCorruption => "Коррупциогенная формулировка", "Corruption-prone wording";
    CategoryHigherLaw => "Противоречие актам большей силы", "Conflict with higher law";
    CategoryLegalTechnique => "Юридическая техника", "Legal technique";
    CategoryBudget => "Влияние на бюджет", "Budget impact";
    CategoryRegulatory => "Регулирующее воздействие", "Regulatory impact";
    CategoryOther => "Другое", "Other";
    RemarkOpen => "Ожидает решения", "Awaiting a decision";
    RemarkAccepted => "Учтено", "Accepted";
    RemarkPartlyAccepted => "Учтено частично", "Partly accepted";
    RemarkRejected => "Отклонено", "Rejected";
    OpenRemarks => "Замечаний без решения", "Remarks without a decision";
    ReactionDue => "Ответ власти — до", "The government must react by";
    ReactionOverdueSince => "Срок ответа истёк", "The reaction is overdue since";
    AdoptedAct => "Принятый акт", "The adopted act";
    ActNumber => "Номер акта", "Act number";
    ActDate => "Дата акта", "Act date";
    ActUrl => "Ссылка на опубликованный акт (необязательно)", "Link to the published act (optional)";
    ActOpen => "Открыть акт", "Open the act";
    NavLawmakingWork => "Законотворчество: работа", "Law-making: work";
    NoLawmakingWork => "Сейчас ничего не ждёт вашего решения.", "Nothing waits for you now.";
    QueueModeration => "Ждут модерации", "Waiting for moderation";
    QueueExpertsNeeded => "Нужны эксперты", "Experts needed";
    QueueDrafting => "Разработка текста в ваших органах", "Drafts of your bodies";
    QueueExpertise => "Экспертиза в ваших органах", "Under expertise in your bodies";
    QueueReactions => "Ожидают ответа власти", "Waiting for the government's reaction";
    ReactionControl => "Контроль ответов по органам", "Reactions per body";
    ReactionsDue => "Ожидают ответа", "Due";
    ReactionsOverdue => "Просрочено", "Overdue";
    Ledger => "Реестр предложений и решений", "Ledger of proposals and decisions";
    LedgerKind => "Вид предложения", "Kind of proposal";
    LedgerAmendment => "Поправка", "Amendment";
    LedgerRemark => "Замечание эксперта", "Expert remark";
    LedgerShown => "Показано", "Shown";
    LedgerEmpty => "Под эти условия ничего не подходит.", "Nothing matches these filters.";
    DraftText => "Текст проекта", "Draft text";
    NoVersionYet => "Текст проекта ещё не опубликован.", "No version of the text has been published yet.";
    OlderVersionNotice => "Это не последняя редакция: поправки принимаются к последней.", "This is not the latest version: amendments are taken on the latest one.";
    Versions => "Редакции", "Versions";
    Version => "Редакция", "Version";
    CompareVersions => "Сравнить редакции", "Compare versions";
    CompareFrom => "Ранняя", "Earlier";
    CompareTo => "Поздняя", "Later";
    Preamble => "Преамбула", "Preamble";
    Amendments => "Поправки", "Amendments";
    ProposeAmendment => "Предложить поправку", "Propose an amendment";
    AmendmentText => "Статья в предлагаемой редакции", "The article as you propose it";
    AmendmentJustification => "Обоснование", "Justification";
    AmendmentAnonymous => "Не показывать моё имя", "Do not show my name";
    SubmitAmendment => "Отправить поправку", "Send the amendment";
    AuthorHidden => "автор скрыт", "author hidden";
    AmendmentOpen => "На рассмотрении", "Under consideration";
    AmendmentAccepted => "Принята", "Accepted";
    AmendmentPartlyAccepted => "Принята частично", "Partly accepted";
    AmendmentRejected => "Отклонена", "Rejected";
    AmendmentOutdated => "Устарела: статья изменилась", "Outdated: the article changed";
    TakenInVersion => "Учтена в редакции", "Taken in version";
    Disposition => "Решение", "Decision";
    DispositionReason => "Причина решения", "Reason for the decision";
    RecordDisposition => "Записать решение", "Record the decision";
    NewVersion => "Новая редакция", "New version";
    DocxFile => "Файл Word (.docx)", "Word file (.docx)";
    LoadDocx => "Загрузить текст из файла", "Load the text from the file";
    VersionText => "Текст", "Text";
    VersionTextHint => "Каждая строка «Статья N» — или, если их нет, «1.», «2.1)» — начинает новую статью или пункт; текст без номеров делится на абзацы. Принятые поправки уже внесены.", "Each line \"Article N\" (or, where there are none, \"1.\", \"2.1)\") starts a new article or point; a text without numbers is split into paragraphs. Accepted amendments are already applied.";
    VersionNote => "Что изменилось", "What changed";
    PublishVersion => "Опубликовать редакцию", "Publish the version";
    VersionConflict => "Пока вы редактировали, опубликована другая редакция. Ваш текст остался в поле: сравните его с новой редакцией и опубликуйте снова.", "Another version was published while you were editing. Your text is still in the field: compare it with the new version and publish again.";
    ChangeSame => "Без изменений", "Unchanged";
    ChangeAdded => "Добавлена", "Added";
    ChangeRemoved => "Исключена", "Removed";
    ChangeChanged => "Изменена", "Changed";
    ProposalSummary => "Сводка предложений", "Summary of proposals";
    ColNumber => "Номер", "No.";
    ColArticle => "Статья", "Article";
    IdeaDiscussion => "Обсуждение идеи", "Idea discussion";
    YourPosition => "Ваша позиция", "Your position";
    YourPositionOptional => "Ваша позиция (необязательно)", "Your position (optional)";
    PositionFor => "За", "For";
    PositionAgainst => "Против", "Against";
    PositionNeutral => "Нейтрально", "Neutral";
    PositionSummary => "Позиции участников", "Positions taken";
}

/// The name of a stored status (`"in_progress"`), if the status is known.
pub type StatusName = fn(&str) -> Option<Msg>;

/// The sentence for an application error. A refused transition names its status as stored;
/// a page that knows whose status it is uses [`error_text_naming`].
pub fn error_text(error: &AppError, locale: Locale) -> String {
    error_text_naming(error, locale, |_| None)
}

/// The sentence for an application error, where `status_name` gives the name of a stored
/// status for a refused transition (the feature that owns the status knows its names).
pub fn error_text_naming(error: &AppError, locale: Locale, status_name: StatusName) -> String {
    let msg = match error {
        AppError::NotFound => Msg::ErrorNotFound,
        AppError::Unauthorized => Msg::ErrorUnauthorized,
        AppError::BadCredentials => Msg::ErrorBadCredentials,
        AppError::Forbidden => Msg::ErrorForbidden,
        AppError::Invalid { .. } => Msg::ErrorInvalid,
        AppError::Conflict => Msg::ErrorConflict,
        AppError::IllegalTransition { status, .. } => {
            let status = status_name(status)
                .map(|name| name.text(locale))
                .unwrap_or(status.as_str());
            return format!("{} «{status}»", Msg::ErrorIllegalTransition.text(locale));
        }
        AppError::RateLimited {
            retry_after_seconds,
        } => {
            let wait = wait_text(*retry_after_seconds, locale);
            return format!("{} {wait}", Msg::ErrorRateLimited.text(locale));
        }
        AppError::Busy {
            retry_after_seconds,
        } => {
            let wait = wait_text(*retry_after_seconds, locale);
            return format!("{} {wait}", Msg::ErrorBusy.text(locale));
        }
        AppError::Suspended { until } => {
            return format!(
                "{} {}",
                Msg::ErrorSuspended.text(locale),
                crate::i18n::format_local_datetime(locale, *until)
            );
        }
        AppError::BadRequest => Msg::ErrorBadRequest,
        AppError::Unavailable => Msg::ErrorUnavailable,
        AppError::Internal => Msg::ErrorInternal,
    };
    msg.text(locale).to_string()
}

/// A wait of `seconds`, in seconds below a minute and in whole minutes from one on.
fn wait_text(seconds: u32, locale: Locale) -> String {
    match (seconds, locale == Locale::Ru) {
        (seconds @ 0..60, true) => format!("{seconds} с"),
        (seconds @ 0..60, false) => format!("{seconds} s"),
        (seconds, true) => format!("{} мин", seconds.div_ceil(60)),
        (seconds, false) => format!("{} min", seconds.div_ceil(60)),
    }
}

/// The sentence for a refused field.
pub fn error_code_text(code: ErrorCode, locale: Locale) -> String {
    let ru = locale == Locale::Ru;
    match code {
        ErrorCode::TooLong { max } if ru => format!("Не длиннее {max} символов"),
        ErrorCode::TooLong { max } => format!("At most {max} characters"),
        ErrorCode::TooShort { min } if ru => format!("Не короче {min} символов"),
        ErrorCode::TooShort { min } => format!("At least {min} characters"),
        ErrorCode::OutOfRange { min, max } if ru => format!("Число от {min} до {max}"),
        ErrorCode::OutOfRange { min, max } => format!("A number from {min} to {max}"),
        ErrorCode::Required => Msg::CodeRequired.text(locale).to_string(),
        ErrorCode::InvalidEmail => Msg::CodeInvalidEmail.text(locale).to_string(),
        ErrorCode::InvalidLink => Msg::CodeInvalidLink.text(locale).to_string(),
        ErrorCode::UnknownMunicipality => Msg::CodeUnknownMunicipality.text(locale).to_string(),
        ErrorCode::UnknownDepartment => Msg::CodeUnknownDepartment.text(locale).to_string(),
        ErrorCode::UnknownTheme => Msg::CodeUnknownTheme.text(locale).to_string(),
        ErrorCode::UnknownUser => Msg::CodeUnknownUser.text(locale).to_string(),
        ErrorCode::WrongPassword => Msg::CodeWrongPassword.text(locale).to_string(),
        ErrorCode::PasswordsDiffer => Msg::CodePasswordsDiffer.text(locale).to_string(),
        ErrorCode::NotAllowed => Msg::CodeNotAllowed.text(locale).to_string(),
        ErrorCode::Malformed => Msg::CodeMalformed.text(locale).to_string(),
        ErrorCode::Duplicate => Msg::CodeDuplicate.text(locale).to_string(),
        ErrorCode::LastAdmin => Msg::CodeLastAdmin.text(locale).to_string(),
        ErrorCode::OutsideRegion => Msg::CodeOutsideRegion.text(locale).to_string(),
        ErrorCode::TooLate => Msg::CodeTooLate.text(locale).to_string(),
        ErrorCode::DateInPast => Msg::CodeDateInPast.text(locale).to_string(),
        ErrorCode::NotAnImage => Msg::CodeNotAnImage.text(locale).to_string(),
        ErrorCode::FileTooLarge { max_mb } if ru => format!("Файл больше {max_mb} МБ"),
        ErrorCode::FileTooLarge { max_mb } => format!("The file is larger than {max_mb} MB"),
        ErrorCode::TooManyPixels { max_megapixels } if ru => {
            format!("Снимок больше {max_megapixels} мегапикселей: уменьшите его")
        }
        ErrorCode::TooManyPixels { max_megapixels } => {
            format!("The picture has more than {max_megapixels} megapixels: scale it down")
        }
        ErrorCode::PhotoMissing => Msg::CodePhotoMissing.text(locale).to_string(),
        ErrorCode::ActMissing => Msg::CodeActMissing.text(locale).to_string(),
        ErrorCode::InvalidInn => Msg::CodeInvalidInn.text(locale).to_string(),
        ErrorCode::NotAPdf => Msg::CodeNotAPdf.text(locale).to_string(),
        ErrorCode::BadWorkbook { reason } => workbook_error_text(reason, locale),
        ErrorCode::BadDataFile { reason } => data_file_error_text(reason, locale),
        ErrorCode::BadDocument { reason } => document_error_text(reason, locale),
        ErrorCode::Unchanged => Msg::CodeUnchanged.text(locale).to_string(),
        ErrorCode::OwnComment => Msg::CodeOwnComment.text(locale).to_string(),
        ErrorCode::NoDraft => Msg::CodeNoDraft.text(locale).to_string(),
        ErrorCode::NoConclusion => Msg::CodeNoConclusion.text(locale).to_string(),
        ErrorCode::RemarksOpen { count } if ru => {
            format!("Не рассмотрено замечаний экспертов: {count}. Примите решение по каждому.")
        }
        ErrorCode::RemarksOpen { count } => {
            format!("{count} expert remarks still have no disposition: decide each of them.")
        }
        ErrorCode::PublishedToday => Msg::CodePublishedToday.text(locale).to_string(),
        ErrorCode::SupervisesItself => Msg::CodeSupervisesItself.text(locale).to_string(),
        ErrorCode::SupervisionCycle => Msg::CodeSupervisionCycle.text(locale).to_string(),
        ErrorCode::InactiveSupervisor => Msg::CodeInactiveSupervisor.text(locale).to_string(),
        ErrorCode::NoPublisher => Msg::CodeNoPublisher.text(locale).to_string(),
        ErrorCode::VotesUsedUp { budget } if ru => {
            format!(
                "Все {budget} голосов квартала отданы: чтобы проголосовать за этот приоритет, отзовите голос у другого."
            )
        }
        ErrorCode::VotesUsedUp { budget } => {
            format!(
                "All {budget} votes of the quarter are given: withdraw one from another priority to vote for this one."
            )
        }
        ErrorCode::MovedThisQuarter => Msg::CodeMovedThisQuarter.text(locale).to_string(),
        ErrorCode::TooManyVertices { max } if ru => {
            format!("В рисунке больше {max} точек: упростите его.")
        }
        ErrorCode::TooManyVertices { max } => {
            format!("The drawing has more than {max} points: simplify it.")
        }
        ErrorCode::SelfIntersecting => Msg::CodeSelfIntersecting.text(locale).to_string(),
        ErrorCode::NotAccepted => Msg::CodeNotAccepted.text(locale).to_string(),
        ErrorCode::AlreadyTurned => Msg::CodeAlreadyTurned.text(locale).to_string(),
        ErrorCode::Undeliverable => Msg::CodeUndeliverable.text(locale).to_string(),
        ErrorCode::UnknownSubject => Msg::CodeUnknownSubject.text(locale).to_string(),
        ErrorCode::TooManyLinks { max } if ru => format!("Связей уже {max}, больше нельзя."),
        ErrorCode::TooManyLinks { max } => {
            format!("It has {max} links already, the most it may have.")
        }
    }
}

/// The sentence for a document that cannot be read or split into articles.
pub fn document_error_text(error: DocumentError, locale: Locale) -> String {
    let ru = locale == Locale::Ru;
    match error {
        DocumentError::FileTooLarge { max_mb } if ru => format!("Файл больше {max_mb} МБ"),
        DocumentError::FileTooLarge { max_mb } => format!("The file is larger than {max_mb} MB"),
        DocumentError::NotADocx => Msg::DocumentNotADocx.text(locale).to_string(),
        DocumentError::OldWordFormat => Msg::DocumentOldWordFormat.text(locale).to_string(),
        DocumentError::Encrypted => Msg::DocumentEncrypted.text(locale).to_string(),
        DocumentError::TooBigUncompressed => Msg::WorkbookTooBig.text(locale).to_string(),
        DocumentError::NoText => Msg::DocumentNoText.text(locale).to_string(),
        DocumentError::TextTooLong { max_kb } if ru => {
            format!("Текст длиннее {} МБ.", max_kb / 1024)
        }
        DocumentError::TextTooLong { max_kb } => {
            format!("The text is longer than {} MB.", max_kb / 1024)
        }
        DocumentError::TooManyArticles { max } if ru => {
            format!(
                "В тексте больше {} статей и пунктов.",
                platform::i18n::format_integer(locale, i64::from(max))
            )
        }
        DocumentError::TooManyArticles { max } => format!(
            "The text has more than {} articles and points.",
            platform::i18n::format_integer(locale, i64::from(max))
        ),
        DocumentError::EmptyArticle { line } if ru => {
            format!("В строке {line} номер статьи или пункта без текста.")
        }
        DocumentError::EmptyArticle { line } => {
            format!("Line {line} has an article or point number with no text.")
        }
        DocumentError::RepeatedNumber { line } if ru => {
            format!(
                "Номер в строке {line} уже встречался выше: у каждой статьи и пункта свой номер."
            )
        }
        DocumentError::RepeatedNumber { line } => format!(
            "The number on line {line} is used above already: every article and point needs its own."
        ),
    }
}

/// The sentence for an uploaded data file that cannot be read as a table.
pub fn data_file_error_text(error: DataFileError, locale: Locale) -> String {
    let ru = locale == Locale::Ru;
    match error {
        DataFileError::NotUtf8 { line } if ru => format!(
            "Файл не в кодировке UTF-8 (строка {line}). Сохраните его в Excel как «CSV UTF-8 (разделитель — запятая)» или загрузите XLSX."
        ),
        DataFileError::NotUtf8 { line } => format!(
            "The file is not UTF-8 (line {line}). Save it from Excel as \"CSV UTF-8 (Comma delimited)\" or upload the XLSX."
        ),
        DataFileError::Ragged {
            line,
            expected,
            found,
        } if ru => format!(
            "В строке {line} ячеек: {found}, а в заголовке: {expected}. Все строки должны иметь столько же ячеек, сколько заголовок."
        ),
        DataFileError::Ragged {
            line,
            expected,
            found,
        } => format!(
            "Line {line} has {found} cells but the header has {expected}. Every row must have as many cells as the header."
        ),
        DataFileError::BadCsv { line } if ru => {
            format!("Строка {line} не читается как CSV: вероятно, кавычка не закрыта.")
        }
        DataFileError::BadCsv { line } => {
            format!("Line {line} is not valid CSV: probably a quote is not closed.")
        }
        DataFileError::NoHeader => Msg::DataFileNoHeader.text(locale).to_string(),
        DataFileError::NoRows => Msg::DataFileNoRows.text(locale).to_string(),
        DataFileError::TooManyRows { max } if ru => {
            format!(
                "В файле больше {} строк данных.",
                platform::i18n::format_integer(locale, i64::from(max))
            )
        }
        DataFileError::TooManyRows { max } => {
            format!(
                "The file has more than {} data rows.",
                platform::i18n::format_integer(locale, i64::from(max))
            )
        }
        DataFileError::TooManyColumns { max } if ru => {
            format!("В файле больше {max} столбцов.")
        }
        DataFileError::TooManyColumns { max } => format!("The file has more than {max} columns."),
        DataFileError::Formula { row, column } if ru => format!(
            "В ячейке {} формула. Открытые данные публикуют значения: скопируйте лист и вставьте как значения.",
            cell_name(row, column)
        ),
        DataFileError::Formula { row, column } => format!(
            "Cell {} holds a formula. Open data publishes values: copy the sheet and paste it as values.",
            cell_name(row, column)
        ),
        DataFileError::Workbook { reason } => workbook_error_text(reason, locale),
    }
}

/// A spreadsheet cell's name: row 5, column 2 is `B5`.
fn cell_name(row: u32, column: u32) -> String {
    let mut letters = Vec::new();
    let mut rest = column;
    while rest > 0 {
        let digit = (rest - 1) % 26;
        letters.push(char::from(b'A' + digit as u8));
        rest = (rest - 1) / 26;
    }
    letters.iter().rev().collect::<String>() + &row.to_string()
}

/// The sentence for a workbook that cannot be imported.
pub fn workbook_error_text(error: WorkbookError, locale: Locale) -> String {
    let msg = match error {
        WorkbookError::TooLarge { max_mb } => {
            return format!("{} (> {max_mb} MB)", Msg::WorkbookTooLarge.text(locale));
        }
        WorkbookError::TooManyRows { max } => {
            return format!("{} (> {max})", Msg::WorkbookTooManyRows.text(locale));
        }
        WorkbookError::NotAWorkbook => Msg::WorkbookNotAWorkbook,
        WorkbookError::Encrypted => Msg::WorkbookEncrypted,
        WorkbookError::TooBigUncompressed => Msg::WorkbookTooBig,
        WorkbookError::NoData => Msg::WorkbookNoData,
        WorkbookError::NoSheet => Msg::WorkbookNoSheet,
        WorkbookError::GridTooLarge => Msg::WorkbookGridTooLarge,
    };
    msg.text(locale).to_string()
}

/// "44 municipalities on the map", with the Russian plural form.
pub fn municipalities_shown(count: usize, locale: Locale) -> String {
    match locale {
        Locale::Ru => {
            let word = match (count % 10, count % 100) {
                (1, n) if n != 11 => "муниципалитет",
                (2..=4, n) if !(12..=14).contains(&n) => "муниципалитета",
                _ => "муниципалитетов",
            };
            format!("{count} {word} на карте")
        }
        Locale::En if count == 1 => "1 municipality on the map".to_string(),
        Locale::En => format!("{count} municipalities on the map"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_message_has_distinct_non_empty_texts() {
        for msg in Msg::ALL {
            let (ru, en) = (msg.text(Locale::Ru), msg.text(Locale::En));
            assert!(!ru.is_empty() && !en.is_empty(), "{msg:?}");
            // Russian text should actually be Russian (Cyrillic) — catches copy-paste slips.
            let has_cyrillic = ru.chars().any(|c| ('\u{0400}'..='\u{04FF}').contains(&c));
            assert!(has_cyrillic, "{msg:?} has no Cyrillic in Russian: {ru}");
        }
    }

    #[test]
    fn russian_plurals_follow_the_rules() {
        assert_eq!(
            municipalities_shown(44, Locale::Ru),
            "44 муниципалитета на карте"
        );
        assert_eq!(
            municipalities_shown(21, Locale::Ru),
            "21 муниципалитет на карте"
        );
        assert_eq!(
            municipalities_shown(11, Locale::Ru),
            "11 муниципалитетов на карте"
        );
        assert_eq!(
            municipalities_shown(5, Locale::Ru),
            "5 муниципалитетов на карте"
        );
        assert_eq!(
            municipalities_shown(44, Locale::En),
            "44 municipalities on the map"
        );
    }

    #[test]
    fn field_errors_are_translated_with_their_numbers() {
        assert_eq!(
            error_code_text(ErrorCode::TooShort { min: 8 }, Locale::Ru),
            "Не короче 8 символов"
        );
        assert_eq!(
            error_code_text(ErrorCode::TooShort { min: 8 }, Locale::En),
            "At least 8 characters"
        );
    }
}
