-- Removes exactly the reference data inserted by up.sql, in foreign-key-safe order.

DELETE FROM routing_rules
 WHERE theme_id IN (SELECT id FROM themes WHERE slug IN (
   'road-damage', 'public-transport', 'yard-improvement', 'street-lighting', 'waste',
   'water-supply', 'heating', 'housing-management', 'parks-greenery', 'traffic-safety',
   'ecology', 'healthcare', 'education', 'social-support', 'stray-animals',
   'illegal-construction', 'accessibility'));

DELETE FROM themes WHERE slug IN (
  'road-damage', 'public-transport', 'yard-improvement', 'street-lighting', 'waste',
  'water-supply', 'heating', 'housing-management', 'parks-greenery', 'traffic-safety',
  'ecology', 'healthcare', 'education', 'social-support', 'stray-animals',
  'illegal-construction', 'accessibility');

DELETE d FROM departments d
  JOIN municipalities m ON d.municipality_id = m.id AND d.slug = CONCAT('admin-', m.slug)
 WHERE d.level = 'municipal' AND m.slug IN (
   'krasnodar', 'sochi', 'novorossiysk', 'armavir', 'anapa', 'gelendzhik', 'goryachy-klyuch',
   'abinsky', 'apsheronsky', 'beloglinsky', 'belorechensky', 'bryukhovetsky', 'vyselkovsky',
   'gulkevichsky', 'dinskoy', 'yeysky', 'kavkazsky', 'kalininsky', 'kanevskoy', 'korenovsky',
   'krasnoarmeysky', 'krylovsky', 'krymsky', 'kurganinsky', 'kushchyovsky', 'labinsky',
   'leningradsky', 'mostovsky', 'novokubansky', 'novopokrovsky', 'otradnensky', 'pavlovsky',
   'primorsko-akhtarsky', 'seversky', 'slavyansky', 'starominskoy', 'tbilissky', 'temryuksky',
   'timashyovsky', 'tikhoretsky', 'tuapsinsky', 'uspensky', 'ust-labinsky', 'shcherbinovsky');

DELETE FROM departments WHERE level = 'regional' AND slug IN (
  'min-transport', 'min-housing', 'min-natural-resources', 'min-health', 'min-education',
  'min-social', 'min-culture', 'min-sport', 'min-civil-defence', 'min-agriculture',
  'min-economy', 'min-digital', 'construction-supervision', 'state-housing-inspection',
  'veterinary', 'governor-control');

DELETE FROM municipalities WHERE slug IN (
  'krasnodar', 'sochi', 'novorossiysk', 'armavir', 'anapa', 'gelendzhik', 'goryachy-klyuch',
  'abinsky', 'apsheronsky', 'beloglinsky', 'belorechensky', 'bryukhovetsky', 'vyselkovsky',
  'gulkevichsky', 'dinskoy', 'yeysky', 'kavkazsky', 'kalininsky', 'kanevskoy', 'korenovsky',
  'krasnoarmeysky', 'krylovsky', 'krymsky', 'kurganinsky', 'kushchyovsky', 'labinsky',
  'leningradsky', 'mostovsky', 'novokubansky', 'novopokrovsky', 'otradnensky', 'pavlovsky',
  'primorsko-akhtarsky', 'seversky', 'slavyansky', 'starominskoy', 'tbilissky', 'temryuksky',
  'timashyovsky', 'tikhoretsky', 'tuapsinsky', 'uspensky', 'ust-labinsky', 'shcherbinovsky');
