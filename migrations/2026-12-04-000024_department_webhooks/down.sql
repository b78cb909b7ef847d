DROP TABLE department_webhooks;
