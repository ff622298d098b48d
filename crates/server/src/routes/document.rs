//! The response body of a document (a cart, an offer, an order), declared once for all of
//! them: the document's own fields as the domain holds them, then its lines and totals as
//! the caller may see them, then any lists of its parts in their own bodies.

/// Declares `$body`, the response body of the domain document `$document`, and shows the
/// document in it ([`Shown`](crate::api::call::Shown), the document's `version` as ETag).
///
/// The fields before `;` are copied from the document's fields of the same name and keep
/// the attributes given here (doc comments become the OpenAPI descriptions). `lines` and
/// `totals` follow, shown to staff or to the document's customer
/// ([`LineResponse`](crate::routes::carts::bodies::LineResponse),
/// [`TotalsResponse`](crate::routes::carts::bodies::TotalsResponse)). Each field after them
/// is a list whose items are made `From` the document's items of that field. After the
/// braces, `kept under |document| stamp` names the stamp (an `Option`) under which an
/// answer showing the document may be kept rendered
/// ([`Shown::rendering_key`](crate::api::call::Shown::rendering_key)).
///
/// Only doc comments may be given as attributes: the answer is written by a twin of the
/// body that borrows the document's fields ([`Shown::write_json`](crate::api::call::Shown::write_json)),
/// and a test compares the two.
///
/// ```ignore
/// document_body! {
///     Offer => OfferResponse {
///         id: Uuid,
///         /// Human-readable, unique and increasing.
///         number: String;
///         /// Every child line's `parentLineId` names a line of this offer.
///         lines, totals
///     }
/// }
/// ```
macro_rules! document_body {
    (
        $document:ty => $body:ident {
            $( $(#[$attr:meta])* $field:ident: $ty:ty ),+ ;
            $(#[$lines_attr:meta])*
            lines, totals
            $( , $(#[$list_attr:meta])* $list:ident: Vec<$item:ty> )* $(,)?
        }
        $( kept under |$kept:ident| $stamp:expr )?
    ) => {
        #[derive(Debug, ::serde::Serialize, ::utoipa::ToSchema)]
        #[serde(rename_all = "camelCase")]
        pub struct $body {
            $( $(#[$attr])* pub $field: $ty, )+
            $(#[$lines_attr])*
            pub lines: Vec<$crate::routes::carts::bodies::LineResponse>,
            pub totals: $crate::routes::carts::bodies::TotalsResponse,
            $( $(#[$list_attr])* pub $list: Vec<$item>, )*
        }

        impl $crate::api::call::Shown for $document {
            fn version(&self) -> i64 {
                self.version
            }
            fn write_json(
                &self,
                staff: bool,
                out: &mut Vec<u8>,
            ) -> Result<(), ::serde_json::Error> {
                // `$body` with the document's fields borrowed rather than copied, and its
                // lines written as `LinesJson` writes them: the same JSON.
                #[derive(::serde::Serialize)]
                #[serde(rename_all = "camelCase")]
                struct Written<'a> {
                    $( $field: &'a $ty, )+
                    lines: $crate::routes::carts::bodies::line_json::LinesJson<'a>,
                    totals: $crate::routes::carts::bodies::TotalsResponse,
                    $( $list: Vec<$item>, )*
                }
                ::serde_json::to_writer(out, &Written {
                    $( $field: &self.$field, )+
                    lines: $crate::routes::carts::bodies::line_json::LinesJson::new(
                        &self.lines,
                        staff,
                    ),
                    totals: $crate::routes::carts::bodies::TotalsResponse::new(
                        &self.totals,
                        staff,
                    ),
                    $( $list: self.$list.iter().map(<$item>::from).collect(), )*
                })
            }
            fn size_hint(&self) -> usize {
                // A line takes 400 to 600 bytes (more with long names).
                1024 + 640 * self.lines.len()
            }
            $(
                fn rendering_key(
                    &self,
                ) -> Option<(::uuid::Uuid, $crate::render_cache::Stamp)> {
                    let $kept = self;
                    $stamp.map(|stamp| (self.id, stamp))
                }
            )?
        }

        impl $body {
            /// The document as staff (`staff`) or its customer may see it.
            pub fn new(document: &$document, staff: bool) -> Self {
                $body {
                    $( $field: ::std::clone::Clone::clone(&document.$field), )+
                    lines: document
                        .lines
                        .iter()
                        .map(|l| $crate::routes::carts::bodies::LineResponse::new(l, staff))
                        .collect(),
                    totals: $crate::routes::carts::bodies::TotalsResponse::new(
                        &document.totals,
                        staff,
                    ),
                    $( $list: document.$list.iter().map(<$item>::from).collect(), )*
                }
            }
        }
    };
}

pub(crate) use document_body;
