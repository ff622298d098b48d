//! `Json<T>`: the request-body extractor. Unlike actix's own it answers every failure as
//! problem+json naming the offending field (`quantity.value: invalid type…`).
//!
//! It is where strict input is enforced for every body (`docs/api.md`, Strict input):
//! anything but whitespace after the JSON value is 400, and a text holding a control
//! character is 422 naming its field — free text ([`FREE_TEXT`]) may hold tab and
//! newline. It reads nothing before the call is authorized (see [`crate::api::call`]).

use std::cell::RefCell;
use std::collections::HashSet;
use std::fmt;

use actix_web::dev::Payload;
use actix_web::web::{Bytes, BytesMut};
use actix_web::{FromRequest, HttpMessage, HttpRequest};
use futures_util::future::LocalBoxFuture;
use futures_util::StreamExt;
use orderpath_core::{Error, FieldError};
use serde::de::{self, DeserializeOwned, DeserializeSeed, MapAccess, SeqAccess, Visitor};

use crate::api::call::Authorization;
use crate::api::error::ApiError;

/// The largest request body accepted. A 1,000-line configurator request is well below.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

pub struct Json<T>(pub T);

impl<T: DeserializeOwned + 'static> FromRequest for Json<T> {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let is_json = req
            .mime_type()
            .ok()
            .flatten()
            .is_some_and(|m| m.subtype() == "json" || m.suffix().is_some_and(|s| s == "json"));
        let payload = payload.take();
        let authorized = Authorization::of(req);
        Box::pin(async move {
            authorized.await?;
            if !is_json {
                return Err(ApiError::UnsupportedMediaType);
            }
            parse(&read_limited(payload).await?).map(Json)
        })
    }
}

/// The whole body, refused with 413 past [`MAX_BODY_BYTES`]: every handler's body and the
/// one an `Idempotency-Key` is checked against are read alike.
pub async fn read_limited(mut payload: Payload) -> Result<Bytes, ApiError> {
    let mut body = BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|e| ApiError::BadRequest {
            detail: format!("the request body could not be read: {e}"),
            errors: vec![],
        })?;
        if body.len() + chunk.len() > MAX_BODY_BYTES {
            return Err(ApiError::PayloadTooLarge {
                limit: MAX_BODY_BYTES,
            });
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body.freeze())
}

/// Deserializes a body, turning serde's error into one naming the JSON path at fault.
/// Every request body of this API is a JSON object; anything else is refused before
/// serde could read an array positionally into a struct's fields, and so is anything but
/// whitespace after it. Then no text in it may hold a control character (see
/// [`refuse_control_characters`]).
pub fn parse<T: DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    let first = body.iter().find(|b| !b.is_ascii_whitespace());
    if first.is_some_and(|b| *b != b'{') {
        return Err(ApiError::bad_field("body", "must be a JSON object"));
    }
    let deserializer = &mut serde_json::Deserializer::from_slice(body);
    let mut ignored = HashSet::new();
    let value = deserialize(deserializer, &mut ignored)?;
    deserializer.end().map_err(|e| ApiError::BadRequest {
        detail: format!("the request body is not valid JSON: {e}"),
        errors: vec![],
    })?;
    refuse_control_characters(body, &ignored)?;
    Ok(value)
}

/// Deserializes `T`, noting in `ignored` the path of every member `T` has no field for.
fn deserialize<'de, T: DeserializeOwned>(
    deserializer: &mut serde_json::Deserializer<serde_json::de::SliceRead<'de>>,
    ignored: &mut HashSet<String>,
) -> Result<T, ApiError> {
    let mut note = |path: serde_ignored::Path| {
        ignored.insert(dotted(&path));
    };
    let noting = serde_ignored::Deserializer::new(deserializer, &mut note);
    serde_path_to_error::deserialize(noting).map_err(|e| {
        let inner = e.inner();
        let path = e.path().to_string();
        if inner.is_syntax() || inner.is_eof() {
            return ApiError::BadRequest {
                detail: format!("the request body is not valid JSON: {inner}"),
                errors: vec![],
            };
        }
        let message = strip_position(&inner.to_string());
        let (field, message) = match missing_field(&message) {
            Some(name) if path == "." => (name.to_string(), "is required".to_string()),
            Some(name) => (format!("{path}.{name}"), "is required".to_string()),
            None if path == "." => ("body".to_string(), message),
            None => (path, message),
        };
        ApiError::bad_field(field, message)
    })
}

/// Fields of free text, where a tab or a line break is part of what is said: a price
/// edit's `reason`. Every other text is a name, a code, a credential or an address.
pub const FREE_TEXT: &[&str] = &["reason"];

/// Whether `text` holds a control character (Unicode `Cc`: U+0000–U+001F, U+007F–U+009F),
/// other than tab and line feed where `free` text allows them.
pub fn has_control_character(text: &str, free: bool) -> bool {
    text.chars()
        .any(|c| c.is_control() && !(free && matches!(c, '\t' | '\n')))
}

/// The problem of a text with a control character in `field`: 422, as a text breaking
/// any other rule of its field is.
pub fn control_character_error(field: impl Into<String>, free: bool) -> ApiError {
    let message = match free {
        true => "must not contain control characters other than tab and line feed",
        false => "must not contain control characters",
    };
    ApiError::Domain(Error::Validation(vec![FieldError::new(field, message)]))
}

/// A path of serde's as the walk below writes it (`lines[2].reason`).
fn dotted(path: &serde_ignored::Path) -> String {
    use serde_ignored::Path;
    match path {
        Path::Root => String::new(),
        Path::Seq { parent, index } => format!("{}[{index}]", dotted(parent)),
        Path::Map { parent, key } => match dotted(parent) {
            parent if parent.is_empty() => key.clone(),
            parent => format!("{parent}.{key}"),
        },
        Path::Some { parent }
        | Path::NewtypeStruct { parent }
        | Path::NewtypeVariant { parent } => dotted(parent),
    }
}

/// Refuses a JSON document (already read without error) in which a text — a value, or a
/// member's name — holds a control character, naming the first such field by its path
/// (`lines[2].reason`). PostgreSQL refuses U+0000 in text outright; the others have no
/// place in names, codes or credentials. Members at the `ignored` paths, which the body's
/// type has no field for, are skipped: the service reads nothing of them.
fn refuse_control_characters(body: &[u8], ignored: &HashSet<String>) -> Result<(), ApiError> {
    let found = RefCell::new(None);
    let walk = Walk {
        path: String::new(),
        found: &found,
        ignored,
    };
    let _ = walk.deserialize(&mut serde_json::Deserializer::from_slice(body));
    match found.into_inner() {
        Some((field, free)) => Err(control_character_error(field, free)),
        None => Ok(()),
    }
}

/// One value of the document at `path`; stops at the first text with a control
/// character, recording its field in `found`.
struct Walk<'a> {
    path: String,
    found: &'a RefCell<Option<(String, bool)>>,
    ignored: &'a HashSet<String>,
}

impl Walk<'_> {
    fn inner(&self, path: String) -> Walk<'_> {
        Walk {
            path,
            found: self.found,
            ignored: self.ignored,
        }
    }

    fn member(&self, name: &str) -> String {
        match self.path.is_empty() {
            true => name.to_string(),
            false => format!("{}.{name}", self.path),
        }
    }

    fn check<E: de::Error>(&self, path: &str, text: &str) -> Result<(), E> {
        let field = path.rsplit(['.', ']']).next().unwrap_or_default();
        let free = FREE_TEXT.contains(&field);
        if !has_control_character(text, free) {
            return Ok(());
        }
        let field = if path.is_empty() { "body" } else { path };
        *self.found.borrow_mut() = Some((field.to_string(), free));
        Err(E::custom("control character"))
    }
}

impl<'de> DeserializeSeed<'de> for Walk<'_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Walk<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<(), E> {
        self.check(&self.path, v)
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        Ok(())
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        Ok(())
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        Ok(())
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        Ok(())
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut index = 0;
        while seq
            .next_element_seed(self.inner(format!("{}[{index}]", self.path)))?
            .is_some()
        {
            index += 1;
        }
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        // A number's text comes as a one-member map under `arbitrary_precision`; its key
        // and digits are checked like any text, and pass.
        while let Some(name) = map.next_key::<String>()? {
            let path = self.member(&name);
            if self.ignored.contains(&path) {
                map.next_value::<de::IgnoredAny>()?;
                continue;
            }
            self.check(&path, &name)?;
            map.next_value_seed(self.inner(path))?;
        }
        Ok(())
    }
}

fn missing_field(message: &str) -> Option<&str> {
    message
        .strip_prefix("missing field `")
        .and_then(|rest| rest.split('`').next())
}

/// serde_json appends " at line 1 column 20"; the field path says more.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[allow(dead_code)]
    struct Inner {
        value: u32,
    }

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[allow(dead_code)]
    struct Outer {
        product_id: String,
        quantity: Inner,
    }

    fn field_of(body: &str) -> String {
        match parse::<Outer>(body.as_bytes()) {
            Err(ApiError::BadRequest { errors, .. }) if !errors.is_empty() => {
                errors[0].field.clone()
            }
            other => format!("{other:?}"),
        }
    }

    #[test]
    fn errors_name_the_field_at_fault() {
        assert_eq!(field_of(r#"{"quantity": {"value": 1}}"#), "productId");
        assert_eq!(
            field_of(r#"{"productId": "x", "quantity": {}}"#),
            "quantity.value"
        );
        assert_eq!(
            field_of(r#"{"productId": "x", "quantity": {"value": "one"}}"#),
            "quantity.value"
        );
        assert_eq!(field_of(r#"[1]"#), "body");
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Edit {
        name: String,
        lines: Vec<Line>,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Line {
        reason: Option<String>,
    }

    /// The field a 422 names, or what else came.
    fn refused_field(body: &str) -> String {
        match parse::<Edit>(body.as_bytes()) {
            Err(ApiError::Domain(Error::Validation(errors))) => errors[0].field.clone(),
            other => format!("{other:?}"),
        }
    }

    #[test]
    fn control_characters_are_refused_naming_the_field_but_free_text_keeps_tab_and_newline() {
        let line =
            |reason: &str| format!(r#"{{"name": "a", "lines": [{{}}, {{"reason": {reason}}}]}}"#);
        assert_eq!(refused_field(r#"{"name": "a\u0000", "lines": []}"#), "name");
        assert_eq!(refused_field(r#"{"name": "a\tb", "lines": []}"#), "name");
        assert_eq!(
            refused_field("{\"name\": \"a\u{85}\", \"lines\": []}"),
            "name"
        );
        assert_eq!(refused_field(&line(r#""x\u0000""#)), "lines[1].reason");
        assert_eq!(refused_field(&line(r#""x\r""#)), "lines[1].reason");
        assert!(parse::<Edit>(line(r#""a\tb\nc""#).as_bytes()).is_ok());
        assert!(parse::<Edit>(br#"{"name": "a", "lines": [], "price": 12.50}"#).is_ok());
    }

    #[test]
    fn members_the_body_has_no_field_for_are_ignored_whatever_they_hold() {
        let unknown = r#"{"name": "a", "lines": [{"reason": "r", "n\u0007": ["\u0000"]}], "x\u0001": {"y": "\u0002"}}"#;
        assert!(parse::<Edit>(unknown.as_bytes()).is_ok());
        // A known field next to an unknown one is still read strictly.
        let known = r#"{"name": "a\u0000", "lines": [], "x\u0001": 1}"#;
        assert_eq!(refused_field(known), "name");
        let nested = r#"{"name": "a", "lines": [{"extra": "\u0003", "reason": "\u0000"}]}"#;
        assert_eq!(refused_field(nested), "lines[0].reason");
    }

    #[test]
    fn only_whitespace_may_follow_the_json_value() {
        let good = r#"{"productId": "x", "quantity": {"value": 1}}"#;
        assert!(parse::<Outer>(format!("{good} \n\t").as_bytes()).is_ok());
        for trailing in [" garbage", "{}", ","] {
            assert!(matches!(
                parse::<Outer>(format!("{good}{trailing}").as_bytes()),
                Err(ApiError::BadRequest { errors, .. }) if errors.is_empty()
            ));
        }
    }

    #[test]
    fn malformed_json_is_a_bad_request_without_fields() {
        assert!(matches!(
            parse::<Outer>(b"{\"productId\": "),
            Err(ApiError::BadRequest { errors, .. }) if errors.is_empty()
        ));
    }
}
