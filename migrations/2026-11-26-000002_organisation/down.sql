DROP TABLE routing_rules;
DROP TABLE themes;
DROP TABLE departments;
