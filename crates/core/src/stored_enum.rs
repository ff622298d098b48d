//! One declaration for the enums orderpath stores and sends by name.

/// Declares an enum whose variants are stored and sent by their `SCREAMING_SNAKE_CASE`
/// names (`WaitingForStock` is `WAITING_FOR_STOCK`): in the database through strum
/// (`str::parse`, `<&str>::from`, `to_string`), in JSON through serde, and in the OpenAPI
/// document through utoipa. Declaring every such enum here keeps the three spellings from
/// drifting apart. Reading a name no variant has is an error (strum's `ParseError`, which
/// `?` turns into a store failure). `TryFrom<String>` lets a diesel row read the enum
/// straight from its column: `#[diesel(deserialize_as = String)]` on the field.
///
/// The crate that uses it depends on `serde`, `strum` and `utoipa`. More derives may be
/// added with an attribute of their own (`#[derive(strum::EnumIter)]`). An enum spelled
/// otherwise in all three places says so first: `case "lowercase";` (any spelling serde
/// and strum both know).
#[macro_export]
macro_rules! stored_enum {
    (
        $(#[$attr:meta])*
        $vis:vis enum $name:ident {
            $($(#[$variant_attr:meta])* $variant:ident),+ $(,)?
        }
    ) => {
        $crate::stored_enum! {
            case "SCREAMING_SNAKE_CASE";
            $(#[$attr])*
            $vis enum $name {
                $($(#[$variant_attr])* $variant),+
            }
        }
    };
    (
        case $case:tt;
        $(#[$attr:meta])*
        $vis:vis enum $name:ident {
            $($(#[$variant_attr:meta])* $variant:ident),+ $(,)?
        }
    ) => {
        $(#[$attr])*
        #[derive(
            Debug,
            Clone,
            Copy,
            PartialEq,
            Eq,
            Hash,
            ::serde::Serialize,
            ::serde::Deserialize,
            ::utoipa::ToSchema,
            ::strum::EnumString,
            ::strum::IntoStaticStr,
            ::strum::Display,
        )]
        #[serde(rename_all = $case)]
        #[strum(serialize_all = $case)]
        $vis enum $name {
            $($(#[$variant_attr])* $variant),+
        }

        impl ::std::convert::TryFrom<::std::string::String> for $name {
            type Error = ::strum::ParseError;

            fn try_from(name: ::std::string::String) -> ::std::result::Result<Self, Self::Error> {
                name.parse()
            }
        }
    };
}

#[cfg(test)]
mod tests {
    crate::stored_enum! {
        enum Status {
            WaitingForStock,
            Ready,
        }
    }

    crate::stored_enum! {
        case "lowercase";
        enum Kind {
            Backoffice,
        }
    }

    /// The names the OpenAPI document lists for `T`.
    fn documented<T: utoipa::PartialSchema>() -> serde_json::Value {
        serde_json::to_value(T::schema()).expect("schema")["enum"].clone()
    }

    #[test]
    fn a_named_case_spells_storage_json_and_the_document_alike() {
        let stored: &str = Kind::Backoffice.into();
        assert_eq!(stored, "backoffice");
        assert_eq!(
            serde_json::to_value(Kind::Backoffice).ok(),
            Some(stored.into())
        );
        assert_eq!(documented::<Kind>(), serde_json::json!([stored]));
        assert_eq!("backoffice".parse::<Kind>().ok(), Some(Kind::Backoffice));
        assert!("BACKOFFICE".parse::<Kind>().is_err());
    }

    #[test]
    fn storage_json_the_document_and_display_spell_a_variant_alike() {
        let stored: &str = Status::WaitingForStock.into();
        assert_eq!(stored, "WAITING_FOR_STOCK");
        assert_eq!(Status::WaitingForStock.to_string(), stored);
        assert_eq!(
            serde_json::to_value(Status::WaitingForStock).ok(),
            Some(stored.into())
        );
        assert_eq!(documented::<Status>(), serde_json::json!([stored, "READY"]));
        assert_eq!("READY".parse::<Status>().ok(), Some(Status::Ready));
        assert!("Ready".parse::<Status>().is_err());
        assert!(serde_json::from_str::<Status>("\"ready\"").is_err());
        assert_eq!(
            Status::try_from("READY".to_string()).ok(),
            Some(Status::Ready)
        );
    }
}
