//! An action's parameters, read the way CKAN's `_get_request_data` and its validators
//! read them, so that what a CKAN client sends means the same here.

use serde_json::{Map, Value};

use super::ActionError;

/// The parameters of one call: JSON values by name.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct Params(Map<String, Value>);

impl Params {
    /// Parameters from `key=value&…` pairs (a query string or a form body): a key given
    /// once is a string, a key repeated is a list of strings (CKAN's `mixed`).
    pub fn from_pairs(encoded: &[u8]) -> Self {
        let mut map = Map::new();
        for (key, value) in form_urlencoded::parse(encoded) {
            let value = Value::String(value.into_owned());
            match map.get_mut(key.as_ref()) {
                Some(Value::Array(list)) => list.push(value),
                Some(first) => {
                    let first = first.take();
                    map.insert(key.into_owned(), Value::Array(vec![first, value]));
                }
                None => {
                    map.insert(key.into_owned(), value);
                }
            }
        }
        Self(map)
    }

    /// Parameters from a JSON body, which must be an object. The error is the text CKAN
    /// puts after `JSON Error: `.
    pub fn from_json(body: &[u8]) -> Result<Self, String> {
        match serde_json::from_slice::<Value>(body) {
            Ok(Value::Object(map)) => Ok(Self(map)),
            Ok(other) => Err(format!(
                "Request data JSON decoded to {other} but it needs to be a dictionary."
            )),
            Err(error) => Err(format!("Error decoding JSON data. Error: {error}")),
        }
    }

    /// Parameters from a form body. A form of one field named like a JSON object, with
    /// an empty value or `1`, is a JSON document posted as a form (what
    /// `curl -d '{"id": …}'` sends), which CKAN decodes as JSON; any other form is pairs.
    /// (CKAN tries JSON on every one-field form whose value is empty or `1`, so `limit=1`
    /// alone fails there; here only a field that looks like JSON is taken for it.)
    pub fn from_form(body: &[u8]) -> Result<Self, String> {
        let fields: Vec<(String, String)> = form_urlencoded::parse(body)
            .map(|(key, value)| (key.into_owned(), value.into_owned()))
            .collect();
        match fields.as_slice() {
            [(key, value)]
                if (value.is_empty() || value == "1") && key.trim_start().starts_with('{') =>
            {
                Self::from_json(key.as_bytes())
            }
            _ => Ok(Self::from_pairs(body)),
        }
    }

    /// Parameters from a JSON object.
    #[cfg(test)]
    pub fn from_value(value: Value) -> Self {
        match value {
            Value::Object(map) => Self(map),
            _ => Self::default(),
        }
    }

    /// Whether no parameter was given.
    #[cfg(test)]
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The value of `key`.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.0.get(key)
    }

    /// Removes `key`, returning its value.
    pub fn remove(&mut self, key: &str) -> Option<Value> {
        self.0.remove(key)
    }

    /// The names given.
    pub fn keys(&self) -> impl Iterator<Item = &String> {
        self.0.keys()
    }

    /// `key` as text: a string as is, a number in its JSON spelling; `None` when absent,
    /// null or not a scalar (CKAN would look such a value up and find nothing).
    pub fn text(&self, key: &str) -> Option<String> {
        scalar_text(self.0.get(key)?)
    }

    /// `key` as text, which must be present: CKAN's `_get_or_bust`.
    pub fn required(&self, key: &str) -> Result<Option<String>, ActionError> {
        match self.0.get(key) {
            None => Err(ActionError::missing(key)),
            Some(value) => Ok(scalar_text(value)),
        }
    }

    /// `key` as an integer, as CKAN's `int_validator` reads it: a whole number, or text
    /// of one; absent, null or blank is `None`.
    pub fn integer(&self, key: &str) -> Result<Option<i64>, ActionError> {
        let Some(value) = self.0.get(key) else {
            return Ok(None);
        };
        let invalid = || ActionError::invalid(key, "Invalid integer");
        match value {
            Value::Null => Ok(None),
            Value::Bool(truth) => Ok(Some(i64::from(*truth))),
            Value::Number(number) => match number.as_i64() {
                Some(whole) => Ok(Some(whole)),
                None => match number.as_f64() {
                    // Python's divmod accepts a float with no fraction.
                    Some(float) if float.fract() == 0.0 && float.abs() < 9.0e15 => {
                        Ok(Some(float as i64))
                    }
                    _ => Err(invalid()),
                },
            },
            Value::String(text) if text.trim().is_empty() => Ok(None),
            Value::String(text) => text.trim().parse().map(Some).map_err(|_| invalid()),
            Value::Array(_) | Value::Object(_) => Err(invalid()),
        }
    }

    /// `key` as a number that is not negative (`natural_number_validator`).
    pub fn natural(&self, key: &str) -> Result<Option<u64>, ActionError> {
        match self.integer(key)? {
            None => Ok(None),
            Some(whole) => u64::try_from(whole)
                .map(Some)
                .map_err(|_| ActionError::invalid(key, "Must be a natural number")),
        }
    }

    /// `key` as a truth value (`boolean_validator`): `true`, `yes`, `t`, `y`, `1` and
    /// non-zero numbers are true, anything else given is false; `default` when absent.
    pub fn flag(&self, key: &str, default: bool) -> bool {
        match self.0.get(key) {
            None => default,
            Some(Value::Bool(truth)) => *truth,
            Some(Value::Number(number)) => number.as_f64().is_some_and(|n| n != 0.0),
            Some(Value::String(text)) => matches!(
                text.trim().to_ascii_lowercase().as_str(),
                "true" | "yes" | "t" | "y" | "1"
            ),
            Some(_) => false,
        }
    }

    /// `key` as a list of strings: a JSON list, or one string of comma-separated items
    /// (CKAN's `list_of_strings_or_string` and `aslist`); `None` when absent.
    pub fn list(&self, key: &str) -> Option<Vec<String>> {
        match self.0.get(key)? {
            Value::Array(items) => Some(items.iter().filter_map(scalar_text).collect()),
            Value::String(text) => Some(
                text.split(',')
                    .map(str::trim)
                    .filter(|item| !item.is_empty())
                    .map(str::to_string)
                    .collect(),
            ),
            Value::Null => None,
            other => scalar_text(other).map(|text| vec![text]),
        }
    }

    /// The parameters as `key=value` pairs, lists as repeated keys and other JSON as its
    /// text: how a GET would carry them (the datastore's `_links`).
    pub fn pairs(&self) -> Vec<(String, String)> {
        let mut pairs = Vec::new();
        for (key, value) in &self.0 {
            match value {
                Value::Array(items) if items.iter().all(|item| item.is_string()) => {
                    for item in items {
                        if let Some(text) = scalar_text(item) {
                            pairs.push((key.clone(), text));
                        }
                    }
                }
                Value::String(text) => pairs.push((key.clone(), text.clone())),
                other => pairs.push((key.clone(), other.to_string())),
            }
        }
        pairs
    }
}

/// A string as is, a number or a truth value in its JSON spelling; nothing for the rest.
fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text.clone()),
        Value::Number(number) => Some(number.to_string()),
        Value::Bool(truth) => Some(truth.to_string()),
        Value::Null | Value::Array(_) | Value::Object(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn a_repeated_query_key_is_a_list_and_a_single_one_a_string() {
        let params = Params::from_pairs(b"q=a+b&fq=tags%3Ax&fq=tags%3Ay&rows=5");
        assert_eq!(params.get("q"), Some(&json!("a b")));
        assert_eq!(params.get("fq"), Some(&json!(["tags:x", "tags:y"])));
        assert_eq!(params.text("rows").as_deref(), Some("5"));
        assert_eq!(params.text("fq"), None, "a list is not one value");
        let triple = Params::from_pairs(b"k=1&k=2&k=3");
        assert_eq!(triple.get("k"), Some(&json!(["1", "2", "3"])));
    }

    #[test]
    fn a_json_body_must_be_an_object() {
        let params = Params::from_json(br#"{"id": "x", "include_private": false}"#);
        assert_eq!(
            params.map(|p| p.text("id")),
            Ok(Some("x".to_string())),
            "an object"
        );
        assert_eq!(
            Params::from_json(b"[1]"),
            Err("Request data JSON decoded to [1] but it needs to be a dictionary.".into())
        );
        let broken = Params::from_json(b"{\"id\": ").expect_err("broken JSON");
        assert!(
            broken.starts_with("Error decoding JSON data. Error: "),
            "{broken}"
        );
    }

    #[test]
    fn a_form_of_one_json_key_is_json_and_any_other_form_is_pairs() {
        let posted = Params::from_form(b"%7B%22id%22%3A+%22abc%22%7D=").expect("JSON in a form");
        assert_eq!(posted.text("id").as_deref(), Some("abc"));
        let form = Params::from_form(b"id=abc&rows=2").expect("a form");
        assert_eq!(form.text("rows").as_deref(), Some("2"));
        // One ordinary field is a field, not JSON, even with the value `1`.
        let single = Params::from_form(b"id=abc").expect("a form");
        assert_eq!(single.text("id").as_deref(), Some("abc"));
        let one = Params::from_form(b"limit=1").expect("a form");
        assert_eq!(one.integer("limit"), Ok(Some(1)));
        assert!(
            Params::from_form(b"%7Bbroken=").is_err(),
            "broken JSON in a form"
        );
    }

    #[test]
    fn integers_are_read_as_ckan_int_validator_reads_them() {
        let params = Params::from_value(json!({
            "a": 5, "b": "12", "c": " 7 ", "d": 3.0, "e": 2.5, "f": "x", "g": "", "h": null,
            "i": -1, "j": [1]
        }));
        assert_eq!(params.integer("a"), Ok(Some(5)));
        assert_eq!(params.integer("b"), Ok(Some(12)));
        assert_eq!(params.integer("c"), Ok(Some(7)));
        assert_eq!(params.integer("d"), Ok(Some(3)));
        assert_eq!(
            params.integer("e"),
            Err(ActionError::invalid("e", "Invalid integer"))
        );
        assert_eq!(
            params.integer("f"),
            Err(ActionError::invalid("f", "Invalid integer"))
        );
        assert_eq!(params.integer("g"), Ok(None));
        assert_eq!(params.integer("h"), Ok(None));
        assert_eq!(params.integer("absent"), Ok(None));
        assert_eq!(
            params.integer("j"),
            Err(ActionError::invalid("j", "Invalid integer"))
        );
        assert_eq!(
            params.natural("i"),
            Err(ActionError::invalid("i", "Must be a natural number"))
        );
        assert_eq!(params.natural("a"), Ok(Some(5)));
    }

    #[test]
    fn flags_lists_and_required_values() {
        let params = Params::from_value(json!({
            "yes": "True", "no": "false", "one": 1, "fields": "a, b,,c", "list": ["x", "y"],
            "empty": ""
        }));
        assert!(params.flag("yes", false));
        assert!(!params.flag("no", true));
        assert!(params.flag("one", false));
        assert!(params.flag("absent", true));
        assert_eq!(
            params.list("fields"),
            Some(vec!["a".into(), "b".into(), "c".into()])
        );
        assert_eq!(params.list("list"), Some(vec!["x".into(), "y".into()]));
        assert_eq!(params.list("absent"), None);
        assert_eq!(
            params.required("absent"),
            Err(ActionError::missing("absent"))
        );
        // Present but empty is not missing: CKAN looks it up and finds nothing.
        assert_eq!(params.required("empty"), Ok(Some(String::new())));
    }

    #[test]
    fn pairs_spell_the_parameters_as_a_get_would() {
        let params = Params::from_value(json!({
            "resource_id": "r", "filters": {"a": 1}, "fields": ["x", "y"], "limit": 5
        }));
        assert_eq!(
            params.pairs(),
            vec![
                ("fields".to_string(), "x".to_string()),
                ("fields".to_string(), "y".to_string()),
                ("filters".to_string(), r#"{"a":1}"#.to_string()),
                ("limit".to_string(), "5".to_string()),
                ("resource_id".to_string(), "r".to_string()),
            ]
        );
    }
}
