-- The reference data named a public contact e-mail for each regional body, made up after
-- the bodies' names rather than taken from them; the live open dataset of departments
-- published them as "Адрес электронной почты для обращений". They are removed where an
-- administrator has not replaced them since: a body's contacts are entered on
-- /manage/departments from its own published ones.

UPDATE departments SET email = NULL
 WHERE (slug, email) IN (
   ('min-transport', 'mintrans@krasnodar.ru'),
   ('min-housing', 'mingkh@krasnodar.ru'),
   ('min-natural-resources', 'mpr@krasnodar.ru'),
   ('min-health', 'minzdrav@krasnodar.ru'),
   ('min-education', 'minobr@krasnodar.ru'),
   ('min-social', 'mintrud@krasnodar.ru'),
   ('min-culture', 'minkult@krasnodar.ru'),
   ('min-sport', 'minsport@krasnodar.ru'),
   ('min-civil-defence', 'mingochs@krasnodar.ru'),
   ('min-agriculture', 'msh@krasnodar.ru'),
   ('min-economy', 'mineconomy@krasnodar.ru'),
   ('min-digital', 'mincifra@krasnodar.ru'),
   ('construction-supervision', 'dnss@krasnodar.ru'),
   ('state-housing-inspection', 'gji@krasnodar.ru'),
   ('veterinary', 'kubanvet@krasnodar.ru'),
   ('governor-control', 'control@krasnodar.ru')
 );
