-- Puts back the made-up addresses of the reference data where the e-mail is still empty.
UPDATE departments SET email = 'mintrans@krasnodar.ru' WHERE slug = 'min-transport' AND email IS NULL;
UPDATE departments SET email = 'mingkh@krasnodar.ru' WHERE slug = 'min-housing' AND email IS NULL;
UPDATE departments SET email = 'mpr@krasnodar.ru' WHERE slug = 'min-natural-resources' AND email IS NULL;
UPDATE departments SET email = 'minzdrav@krasnodar.ru' WHERE slug = 'min-health' AND email IS NULL;
UPDATE departments SET email = 'minobr@krasnodar.ru' WHERE slug = 'min-education' AND email IS NULL;
UPDATE departments SET email = 'mintrud@krasnodar.ru' WHERE slug = 'min-social' AND email IS NULL;
UPDATE departments SET email = 'minkult@krasnodar.ru' WHERE slug = 'min-culture' AND email IS NULL;
UPDATE departments SET email = 'minsport@krasnodar.ru' WHERE slug = 'min-sport' AND email IS NULL;
UPDATE departments SET email = 'mingochs@krasnodar.ru' WHERE slug = 'min-civil-defence' AND email IS NULL;
UPDATE departments SET email = 'msh@krasnodar.ru' WHERE slug = 'min-agriculture' AND email IS NULL;
UPDATE departments SET email = 'mineconomy@krasnodar.ru' WHERE slug = 'min-economy' AND email IS NULL;
UPDATE departments SET email = 'mincifra@krasnodar.ru' WHERE slug = 'min-digital' AND email IS NULL;
UPDATE departments SET email = 'dnss@krasnodar.ru' WHERE slug = 'construction-supervision' AND email IS NULL;
UPDATE departments SET email = 'gji@krasnodar.ru' WHERE slug = 'state-housing-inspection' AND email IS NULL;
UPDATE departments SET email = 'kubanvet@krasnodar.ru' WHERE slug = 'veterinary' AND email IS NULL;
UPDATE departments SET email = 'control@krasnodar.ru' WHERE slug = 'governor-control' AND email IS NULL;
