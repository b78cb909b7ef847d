-- Reference data: the 44 municipalities of Krasnodar Krai, the regional bodies of the Krai
-- and one administration per municipality, the report themes and their routing rules.
-- No ids are written: every reference goes through a slug, so the file does not depend on
-- auto-increment values. E-mail addresses are demo data.

-- Municipalities: 7 city okrugs and 37 municipal districts.
-- Centre coordinates are WGS84 decimal degrees of the administrative centre.
INSERT INTO municipalities (slug, name_ru, name_en, kind, centre_name_ru, centre_name_en, centre_lat, centre_lon) VALUES
  ('krasnodar',           'городской округ город Краснодар',        'Krasnodar City Okrug',          'city_okrug',         'Краснодар',                    'Krasnodar',             45.0355, 38.9753),
  ('sochi',               'городской округ город-курорт Сочи',      'Sochi City Okrug',              'city_okrug',         'Сочи',                         'Sochi',                 43.5853, 39.7231),
  ('novorossiysk',        'городской округ город Новороссийск',     'Novorossiysk City Okrug',       'city_okrug',         'Новороссийск',                 'Novorossiysk',          44.7239, 37.7689),
  ('armavir',             'городской округ город Армавир',          'Armavir City Okrug',            'city_okrug',         'Армавир',                      'Armavir',               44.9892, 41.1234),
  ('anapa',               'городской округ город-курорт Анапа',     'Anapa City Okrug',              'city_okrug',         'Анапа',                        'Anapa',                 44.8947, 37.3166),
  ('gelendzhik',          'городской округ город-курорт Геленджик', 'Gelendzhik City Okrug',         'city_okrug',         'Геленджик',                    'Gelendzhik',            44.5622, 38.0797),
  ('goryachy-klyuch',     'городской округ город Горячий Ключ',     'Goryachy Klyuch City Okrug',    'city_okrug',         'Горячий Ключ',                 'Goryachy Klyuch',       44.6342, 39.1358),
  ('abinsky',             'Абинский район',                         'Abinsky District',              'municipal_district', 'Абинск',                       'Abinsk',                44.8667, 38.1578),
  ('apsheronsky',         'Апшеронский район',                      'Apsheronsky District',          'municipal_district', 'Апшеронск',                    'Apsheronsk',            44.4664, 39.7336),
  ('beloglinsky',         'Белоглинский район',                     'Beloglinsky District',          'municipal_district', 'село Белая Глина',             'Belaya Glina',          46.0789, 40.8633),
  ('belorechensky',       'Белореченский район',                    'Belorechensky District',        'municipal_district', 'Белореченск',                  'Belorechensk',          44.7642, 39.8717),
  ('bryukhovetsky',       'Брюховецкий район',                      'Bryukhovetsky District',        'municipal_district', 'станица Брюховецкая',          'Bryukhovetskaya',       45.8027, 38.9988),
  ('vyselkovsky',         'Выселковский район',                     'Vyselkovsky District',          'municipal_district', 'станица Выселки',              'Vyselki',               45.5789, 39.6556),
  ('gulkevichsky',        'Гулькевичский район',                    'Gulkevichsky District',         'municipal_district', 'Гулькевичи',                   'Gulkevichi',            45.3568, 40.6921),
  ('dinskoy',             'Динской район',                          'Dinskoy District',              'municipal_district', 'станица Динская',              'Dinskaya',              45.2168, 39.2265),
  ('yeysky',              'Ейский район',                           'Yeysky District',               'municipal_district', 'Ейск',                         'Yeysk',                 46.7055, 38.2739),
  ('kavkazsky',           'Кавказский район',                       'Kavkazsky District',            'municipal_district', 'Кропоткин',                    'Kropotkin',             45.4375, 40.5756),
  ('kalininsky',          'Калининский район',                      'Kalininsky District',           'municipal_district', 'станица Калининская',          'Kalininskaya',          45.4870, 38.6607),
  ('kanevskoy',           'Каневской район',                        'Kanevskoy District',            'municipal_district', 'станица Каневская',            'Kanevskaya',            46.0849, 38.9589),
  ('korenovsky',          'Кореновский район',                      'Korenovsky District',           'municipal_district', 'Кореновск',                    'Korenovsk',             45.4643, 39.4479),
  ('krasnoarmeysky',      'Красноармейский район',                  'Krasnoarmeysky District',       'municipal_district', 'станица Полтавская',           'Poltavskaya',           45.4106, 38.2118),
  ('krylovsky',           'Крыловский район',                       'Krylovsky District',            'municipal_district', 'станица Крыловская',           'Krylovskaya',           46.3225, 39.9614),
  ('krymsky',             'Крымский район',                         'Krymsky District',              'municipal_district', 'Крымск',                       'Krymsk',                44.9342, 37.9856),
  ('kurganinsky',         'Курганинский район',                     'Kurganinsky District',          'municipal_district', 'Курганинск',                   'Kurganinsk',            44.8868, 40.5937),
  ('kushchyovsky',        'Кущёвский район',                        'Kushchyovsky District',         'municipal_district', 'станица Кущёвская',            'Kushchyovskaya',        46.5600, 39.6250),
  ('labinsky',            'Лабинский район',                        'Labinsky District',             'municipal_district', 'Лабинск',                      'Labinsk',               44.6348, 40.7245),
  ('leningradsky',        'Ленинградский район',                    'Leningradsky District',         'municipal_district', 'станица Ленинградская',        'Leningradskaya',        46.3197, 39.3890),
  ('mostovsky',           'Мостовский район',                       'Mostovsky District',            'municipal_district', 'посёлок Мостовской',           'Mostovskoy',            44.4145, 40.7956),
  ('novokubansky',        'Новокубанский район',                    'Novokubansky District',         'municipal_district', 'Новокубанск',                  'Novokubansk',           45.1065, 41.0272),
  ('novopokrovsky',       'Новопокровский район',                   'Novopokrovsky District',        'municipal_district', 'станица Новопокровская',       'Novopokrovskaya',       45.9558, 40.7061),
  ('otradnensky',         'Отрадненский район',                     'Otradnensky District',          'municipal_district', 'станица Отрадная',             'Otradnaya',             44.3960, 41.5176),
  ('pavlovsky',           'Павловский район',                       'Pavlovsky District',            'municipal_district', 'станица Павловская',           'Pavlovskaya',           46.1380, 39.7835),
  ('primorsko-akhtarsky', 'Приморско-Ахтарский район',              'Primorsko-Akhtarsky District',  'municipal_district', 'Приморско-Ахтарск',            'Primorsko-Akhtarsk',    46.0500, 38.1667),
  ('seversky',            'Северский район',                        'Seversky District',             'municipal_district', 'станица Северская',            'Severskaya',            44.8519, 38.6781),
  ('slavyansky',          'Славянский район',                       'Slavyansky District',           'municipal_district', 'Славянск-на-Кубани',           'Slavyansk-na-Kubani',   45.2586, 38.1246),
  ('starominskoy',        'Староминский район',                     'Starominskoy District',         'municipal_district', 'станица Староминская',         'Starominskaya',         46.5300, 39.0517),
  ('tbilissky',           'Тбилисский район',                       'Tbilissky District',            'municipal_district', 'станица Тбилисская',           'Tbilisskaya',           45.3652, 40.1920),
  ('temryuksky',          'Темрюкский район',                       'Temryuksky District',           'municipal_district', 'Темрюк',                       'Temryuk',               45.2744, 37.3858),
  ('timashyovsky',        'Тимашёвский район',                      'Timashyovsky District',         'municipal_district', 'Тимашёвск',                    'Timashyovsk',           45.6164, 38.9416),
  ('tikhoretsky',         'Тихорецкий район',                       'Tikhoretsky District',          'municipal_district', 'Тихорецк',                     'Tikhoretsk',            45.8544, 40.1253),
  ('tuapsinsky',          'Туапсинский район',                      'Tuapsinsky District',           'municipal_district', 'Туапсе',                       'Tuapse',                44.1053, 39.0802),
  ('uspensky',            'Успенский район',                        'Uspensky District',             'municipal_district', 'село Успенское',               'Uspenskoye',            44.8386, 41.3900),
  ('ust-labinsky',        'Усть-Лабинский район',                   'Ust-Labinsky District',         'municipal_district', 'Усть-Лабинск',                 'Ust-Labinsk',           45.2137, 39.6907),
  ('shcherbinovsky',      'Щербиновский район',                     'Shcherbinovsky District',       'municipal_district', 'станица Старощербиновская',    'Staroshcherbinovskaya', 46.6333, 38.6667);

-- Regional bodies of the Krai.
INSERT INTO departments (slug, name_ru, name_en, level, municipality_id, email, phone) VALUES
  ('min-transport', 'Министерство транспорта и дорожного хозяйства Краснодарского края',
   'Ministry of Transport and Road Facilities of Krasnodar Krai', 'regional', NULL, 'mintrans@krasnodar.ru', NULL),
  ('min-housing', 'Министерство топливно-энергетического комплекса и жилищно-коммунального хозяйства Краснодарского края',
   'Ministry of Fuel and Energy Complex and Housing and Utilities of Krasnodar Krai', 'regional', NULL, 'mingkh@krasnodar.ru', NULL),
  ('min-natural-resources', 'Министерство природных ресурсов Краснодарского края',
   'Ministry of Natural Resources of Krasnodar Krai', 'regional', NULL, 'mpr@krasnodar.ru', NULL),
  ('min-health', 'Министерство здравоохранения Краснодарского края',
   'Ministry of Health of Krasnodar Krai', 'regional', NULL, 'minzdrav@krasnodar.ru', NULL),
  ('min-education', 'Министерство образования и науки Краснодарского края',
   'Ministry of Education and Science of Krasnodar Krai', 'regional', NULL, 'minobr@krasnodar.ru', NULL),
  ('min-social', 'Министерство труда и социального развития Краснодарского края',
   'Ministry of Labour and Social Development of Krasnodar Krai', 'regional', NULL, 'mintrud@krasnodar.ru', NULL),
  ('min-culture', 'Министерство культуры Краснодарского края',
   'Ministry of Culture of Krasnodar Krai', 'regional', NULL, 'minkult@krasnodar.ru', NULL),
  ('min-sport', 'Министерство физической культуры и спорта Краснодарского края',
   'Ministry of Physical Culture and Sport of Krasnodar Krai', 'regional', NULL, 'minsport@krasnodar.ru', NULL),
  ('min-civil-defence', 'Министерство гражданской обороны и чрезвычайных ситуаций Краснодарского края',
   'Ministry of Civil Defence and Emergencies of Krasnodar Krai', 'regional', NULL, 'mingochs@krasnodar.ru', NULL),
  ('min-agriculture', 'Министерство сельского хозяйства и перерабатывающей промышленности Краснодарского края',
   'Ministry of Agriculture and Processing Industry of Krasnodar Krai', 'regional', NULL, 'msh@krasnodar.ru', NULL),
  ('min-economy', 'Министерство экономики Краснодарского края',
   'Ministry of Economy of Krasnodar Krai', 'regional', NULL, 'mineconomy@krasnodar.ru', NULL),
  ('min-digital', 'Министерство цифрового развития Краснодарского края',
   'Ministry of Digital Development of Krasnodar Krai', 'regional', NULL, 'mincifra@krasnodar.ru', NULL),
  ('construction-supervision', 'Департамент по надзору в строительной сфере Краснодарского края',
   'Department for Construction Supervision of Krasnodar Krai', 'regional', NULL, 'dnss@krasnodar.ru', NULL),
  ('state-housing-inspection', 'Государственная жилищная инспекция Краснодарского края',
   'State Housing Inspectorate of Krasnodar Krai', 'regional', NULL, 'gji@krasnodar.ru', NULL),
  ('veterinary', 'Государственное управление ветеринарии Краснодарского края',
   'State Veterinary Administration of Krasnodar Krai', 'regional', NULL, 'kubanvet@krasnodar.ru', NULL),
  ('governor-control', 'Управление контроля администрации губернатора Краснодарского края',
   'Oversight Office of the Administration of the Governor of Krasnodar Krai', 'regional', NULL, 'control@krasnodar.ru', NULL);

-- One administration per municipality, slug admin-<municipality slug>.
INSERT INTO departments (slug, name_ru, name_en, level, municipality_id, email, phone)
SELECT CONCAT('admin-', m.slug),
       CONCAT('Администрация муниципального образования ', m.name_ru),
       CONCAT(m.name_en, ' Administration'),
       'municipal', m.id, NULL, NULL
  FROM municipalities m
 WHERE m.slug IN (
   'krasnodar', 'sochi', 'novorossiysk', 'armavir', 'anapa', 'gelendzhik', 'goryachy-klyuch',
   'abinsky', 'apsheronsky', 'beloglinsky', 'belorechensky', 'bryukhovetsky', 'vyselkovsky',
   'gulkevichsky', 'dinskoy', 'yeysky', 'kavkazsky', 'kalininsky', 'kanevskoy', 'korenovsky',
   'krasnoarmeysky', 'krylovsky', 'krymsky', 'kurganinsky', 'kushchyovsky', 'labinsky',
   'leningradsky', 'mostovsky', 'novokubansky', 'novopokrovsky', 'otradnensky', 'pavlovsky',
   'primorsko-akhtarsky', 'seversky', 'slavyansky', 'starominskoy', 'tbilissky', 'temryuksky',
   'timashyovsky', 'tikhoretsky', 'tuapsinsky', 'uspensky', 'ust-labinsky', 'shcherbinovsky')
 ORDER BY m.id;

-- Themes. Road damage is published without premoderation to show the switch.
INSERT INTO themes (slug, name_ru, name_en, description_ru, description_en, premoderation, reaction_days, sort_order) VALUES
  ('road-damage', 'Дороги и тротуары', 'Roads and pavements',
   'Ямы, разрушенное покрытие и провалы на проезжей части, тротуарах и внутриквартальных проездах; отсутствие бордюров и водоотвода.',
   'Potholes, broken surface and subsidence on carriageways, pavements and estate driveways; missing kerbs and drainage.',
   FALSE, 10, 10),
  ('public-transport', 'Общественный транспорт', 'Public transport',
   'Нарушение расписания и схемы маршрутов автобусов, трамваев и троллейбусов, состояние остановок, поведение водителей.',
   'Buses, trams and trolleybuses off schedule or off route, condition of stops, driver conduct.',
   TRUE, 10, 20),
  ('yard-improvement', 'Благоустройство дворов', 'Yard improvement',
   'Детские и спортивные площадки, скамейки, ограждения, парковки и озеленение придомовых территорий.',
   'Playgrounds and sports grounds, benches, fences, parking and greenery in residential yards.',
   TRUE, 10, 30),
  ('street-lighting', 'Уличное освещение', 'Street lighting',
   'Неработающие или повреждённые фонари на улицах, во дворах, в парках и на пешеходных переходах.',
   'Street lights out or damaged on streets, in yards, in parks and at pedestrian crossings.',
   TRUE, 10, 40),
  ('waste', 'Вывоз мусора и свалки', 'Waste collection and dumps',
   'Несвоевременный вывоз твёрдых коммунальных отходов, переполненные контейнерные площадки, несанкционированные свалки.',
   'Missed collection of household waste, overflowing bin areas, illegal dumps.',
   TRUE, 10, 50),
  ('water-supply', 'Водоснабжение и канализация', 'Water supply and sewerage',
   'Отсутствие воды или низкое давление, качество питьевой воды, аварии на водопроводе, засоры и утечки канализации.',
   'No water or low pressure, drinking-water quality, burst mains, blocked or leaking sewers.',
   TRUE, 10, 60),
  ('heating', 'Отопление и горячая вода', 'Heating and hot water',
   'Отсутствие или недостаточное отопление и горячее водоснабжение, аварии на тепловых сетях.',
   'No or insufficient heating and hot water, failures of district heating networks.',
   TRUE, 10, 70),
  ('housing-management', 'Управление многоквартирными домами', 'Management of apartment buildings',
   'Работа управляющих организаций и ТСЖ: содержание подъездов, крыш, подвалов и лифтов, начисление платы за жильё и коммунальные услуги.',
   'Performance of management companies and homeowners'' associations: stairwells, roofs, basements and lifts, housing and utility bills.',
   TRUE, 10, 80),
  ('parks-greenery', 'Парки, скверы и озеленение', 'Parks, squares and greenery',
   'Состояние парков и скверов, аварийные деревья, покос травы, вырубка и посадка зелёных насаждений.',
   'Condition of parks and squares, hazardous trees, grass cutting, felling and planting of trees.',
   TRUE, 10, 90),
  ('traffic-safety', 'Безопасность дорожного движения', 'Road safety',
   'Светофоры, дорожные знаки и разметка, пешеходные переходы, искусственные неровности, опасные участки дорог.',
   'Traffic lights, road signs and markings, pedestrian crossings, speed humps, dangerous road sections.',
   TRUE, 10, 100),
  ('ecology', 'Экология', 'Environment',
   'Загрязнение воздуха, водоёмов и почвы, выбросы предприятий, сжигание отходов, состояние рек и морского побережья.',
   'Pollution of air, water bodies and soil, industrial emissions, waste burning, condition of rivers and the sea coast.',
   TRUE, 10, 110),
  ('healthcare', 'Здравоохранение', 'Healthcare',
   'Доступность медицинской помощи, запись к врачу, работа поликлиник, больниц и скорой помощи, лекарственное обеспечение.',
   'Access to medical care, doctor appointments, outpatient clinics, hospitals and ambulances, supply of medicines.',
   TRUE, 10, 120),
  ('education', 'Образование', 'Education',
   'Детские сады, школы и учреждения дополнительного образования: места, состояние зданий, питание, подвоз учащихся.',
   'Kindergartens, schools and extracurricular education: places, condition of buildings, school meals, school buses.',
   TRUE, 10, 130),
  ('social-support', 'Социальная поддержка', 'Social support',
   'Пособия и выплаты, льготы, социальное обслуживание пожилых людей, людей с инвалидностью и семей с детьми.',
   'Benefits and payments, entitlements, social services for older people, people with disabilities and families with children.',
   TRUE, 10, 140),
  ('stray-animals', 'Безнадзорные животные', 'Stray animals',
   'Стаи безнадзорных собак, отлов, стерилизация, вакцинация и возврат животных, приюты.',
   'Packs of stray dogs, catching, neutering, vaccination and release of animals, shelters.',
   TRUE, 10, 150),
  ('illegal-construction', 'Самовольное строительство', 'Unauthorised construction',
   'Строительство без разрешения, нарушение проектной документации и градостроительных норм, опасные стройплощадки.',
   'Building without a permit, breaches of the approved design and of planning rules, unsafe construction sites.',
   TRUE, 10, 160),
  ('accessibility', 'Доступная среда', 'Accessibility',
   'Пандусы, подъёмники, тактильная плитка, доступность зданий, транспорта и улиц для людей с инвалидностью и маломобильных граждан.',
   'Ramps, platform lifts, tactile paving, access to buildings, transport and streets for people with disabilities and limited mobility.',
   TRUE, 10, 170);

-- Regional fallback rule of every theme (municipality_id NULL).
INSERT INTO routing_rules (theme_id, municipality_id, department_id)
SELECT t.id, NULL, d.id
  FROM (          SELECT 'road-damage'          AS theme_slug, 'min-transport'            AS department_slug
        UNION ALL SELECT 'public-transport',                   'min-transport'
        UNION ALL SELECT 'yard-improvement',                   'min-housing'
        UNION ALL SELECT 'street-lighting',                    'min-housing'
        UNION ALL SELECT 'waste',                              'min-housing'
        UNION ALL SELECT 'water-supply',                       'min-housing'
        UNION ALL SELECT 'heating',                            'min-housing'
        UNION ALL SELECT 'housing-management',                 'state-housing-inspection'
        UNION ALL SELECT 'parks-greenery',                     'min-housing'
        UNION ALL SELECT 'traffic-safety',                     'min-transport'
        UNION ALL SELECT 'ecology',                            'min-natural-resources'
        UNION ALL SELECT 'healthcare',                         'min-health'
        UNION ALL SELECT 'education',                          'min-education'
        UNION ALL SELECT 'social-support',                     'min-social'
        UNION ALL SELECT 'stray-animals',                      'veterinary'
        UNION ALL SELECT 'illegal-construction',               'construction-supervision'
        UNION ALL SELECT 'accessibility',                      'min-social') AS r
  JOIN themes t ON t.slug = r.theme_slug
  JOIN departments d ON d.slug = r.department_slug AND d.level = 'regional'
 ORDER BY t.sort_order;

-- Municipal themes: in every municipality, its administration.
INSERT INTO routing_rules (theme_id, municipality_id, department_id)
SELECT t.id, m.id, d.id
  FROM themes t
  CROSS JOIN municipalities m
  JOIN departments d ON d.slug = CONCAT('admin-', m.slug) AND d.level = 'municipal' AND d.municipality_id = m.id
 WHERE t.slug IN ('road-damage', 'public-transport', 'yard-improvement', 'street-lighting',
                  'waste', 'parks-greenery', 'stray-animals', 'accessibility')
 ORDER BY t.sort_order, m.id;
