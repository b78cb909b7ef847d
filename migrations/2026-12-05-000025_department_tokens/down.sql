DROP TABLE department_tokens;
