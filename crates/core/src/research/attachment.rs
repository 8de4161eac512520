//! Photos and screenshots: observations in step 2 carry photos, digital functions in
//! step 3 screenshots. The project holds each image's description ([`Attachment`]);
//! the bytes themselves are kept beside the project by the store, under the same id,
//! so the project document stays small.
//!
//! Rules: an image is a PNG, JPEG, GIF or WebP file of at most [`ATTACHMENT_MAX`]
//! bytes whose header names a width and a height. Only the header is read (the
//! `imagesize` crate); nothing is decoded or re-encoded.

use super::ids::AttachmentId;
use super::input::NAME_MAX;
use super::project::Project;
use crate::invalid::{Checker, Invalid, List, Reason, text};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The largest photo or screenshot, in bytes (5 MiB).
pub const ATTACHMENT_MAX: usize = 5 * 1024 * 1024;

/// The media types an attachment may have, one per accepted format.
pub const IMAGE_TYPES: &[&str] = &["image/png", "image/jpeg", "image/gif", "image/webp"];

/// The name an image gets when none is given.
pub const DEFAULT_NAME: &str = "image";

/// A stored photo or screenshot: what the project knows of it. The bytes are fetched
/// by `id`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Attachment {
    pub id: AttachmentId,
    /// The file name as uploaded, such as `kassan.jpg`.
    pub name: String,
    /// One of [`IMAGE_TYPES`], read from the file itself rather than taken from the sender.
    pub content_type: String,
    /// The size of the file in bytes.
    pub bytes: u64,
    /// In pixels.
    pub width: u32,
    pub height: u32,
}

/// The media type of an accepted format, or None for anything else.
fn media_type(kind: &imagesize::ImageType) -> Option<&'static str> {
    match kind {
        imagesize::ImageType::Png => Some("image/png"),
        imagesize::ImageType::Jpeg => Some("image/jpeg"),
        imagesize::ImageType::Gif => Some("image/gif"),
        imagesize::ImageType::Webp => Some("image/webp"),
        // Every other format (the enum grows with the crate's features) is refused.
        _ => None,
    }
}

/// Checks the image bytes; the reason names what is wrong so a user can act on it.
fn check_file(data: &[u8]) -> Result<(&'static str, u32, u32), Invalid> {
    if data.is_empty() {
        return Err(Invalid::one("file", Reason::Empty));
    }
    if data.len() > ATTACHMENT_MAX {
        return Err(Invalid::one(
            "file",
            Reason::TooLargeImage {
                megabytes: ATTACHMENT_MAX / (1024 * 1024),
            },
        ));
    }
    let content_type = imagesize::image_type(data)
        .ok()
        .as_ref()
        .and_then(media_type)
        .ok_or_else(|| Invalid::one("file", Reason::NotImage))?;
    let size = imagesize::blob_size(data).map_err(|_| {
        Invalid::one(
            "file",
            Reason::UnreadableImage {
                content_type: content_type.to_string(),
            },
        )
    })?;
    // Wider or taller than any photo: no image this workspace can show.
    let (Ok(width), Ok(height)) = (u32::try_from(size.width), u32::try_from(size.height)) else {
        return Err(Invalid::one("file", Reason::NotImage));
    };
    if width == 0 || height == 0 {
        return Err(Invalid::one("file", Reason::ImageSize));
    }
    Ok((content_type, width, height))
}

impl Attachment {
    /// Checks an uploaded file and describes it with a new id. `name` is the file name
    /// as sent: trimmed, at most [`NAME_MAX`] characters, no control characters,
    /// [`DEFAULT_NAME`] when blank. Problems are named `file` and `name`.
    pub fn inspect(name: &str, data: &[u8]) -> Result<Attachment, Invalid> {
        let mut c = Checker::new();
        let name = if name.trim().is_empty() {
            Some(DEFAULT_NAME.to_string())
        } else {
            c.take(text("name", name, NAME_MAX))
        };
        let file = c.take(check_file(data));
        c.finish()?;
        let (Some(name), Some((content_type, width, height))) = (name, file) else {
            return Err(Invalid::one("file", Reason::NotImage));
        };
        Ok(Attachment {
            id: AttachmentId::new(),
            name,
            content_type: content_type.to_string(),
            bytes: data.len() as u64,
            width,
            height,
        })
    }

    /// Problems of a stored description (an import, a row read back), by field.
    pub(crate) fn problems(&self) -> Vec<(&'static str, Reason)> {
        let mut out = Vec::new();
        match text("name", &self.name, NAME_MAX) {
            Ok(t) if t == self.name => {}
            Ok(_) => out.push(("name", Reason::EdgeWhiteSpace)),
            Err(e) => out.extend(e.0.into_iter().map(|f| ("name", f.reason))),
        }
        if !IMAGE_TYPES.contains(&self.content_type.as_str()) {
            out.push((
                "content_type",
                Reason::OneOf {
                    value: self.content_type.clone(),
                    allowed: List::of(IMAGE_TYPES),
                },
            ));
        }
        if self.bytes == 0 || self.bytes > ATTACHMENT_MAX as u64 {
            out.push((
                "bytes",
                Reason::Range {
                    low: 1,
                    high: ATTACHMENT_MAX as i64,
                },
            ));
        }
        if self.width == 0 || self.height == 0 {
            out.push(("width", Reason::ImageSize));
        }
        out
    }
}

impl Project {
    pub fn attachment(&self, id: AttachmentId) -> Option<&Attachment> {
        self.attachments.iter().find(|a| a.id == id)
    }

    /// Records an image the store now holds, so observations and functions may name
    /// it. Adding one whose id is already there changes nothing.
    pub fn add_attachment(&mut self, a: Attachment) {
        if self.attachment(a.id).is_none() {
            self.attachments.push(a);
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::research::fixture;
    use crate::research::observation::ObservationInput;
    use crate::research::scan::DigitalFunctionInput;
    use std::collections::BTreeMap;

    /// A complete, valid 1×1 PNG (transparent), checksums and all.
    pub(crate) const TINY_PNG: &[u8] = &[
        0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44,
        0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f,
        0x15, 0xc4, 0x89, 0x00, 0x00, 0x00, 0x0b, 0x49, 0x44, 0x41, 0x54, 0x78, 0xda, 0x63, 0x60,
        0x00, 0x02, 0x00, 0x00, 0x05, 0x00, 0x01, 0xe9, 0xfa, 0xdc, 0xd8, 0x00, 0x00, 0x00, 0x00,
        0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
    ];

    /// The start of a baseline JPEG of 640×480: SOI, a JFIF APP0 and the SOF0 frame.
    fn jpeg_header() -> Vec<u8> {
        let mut v = vec![0xff, 0xd8];
        v.extend([0xff, 0xe0, 0x00, 0x10]);
        v.extend(b"JFIF\0");
        v.extend([0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00]);
        // SOF0: length 17, precision 8, height 480, width 640, three components.
        v.extend([0xff, 0xc0, 0x00, 0x11, 0x08, 0x01, 0xe0, 0x02, 0x80, 0x03]);
        v.extend([0x01, 0x22, 0x00, 0x02, 0x11, 0x01, 0x03, 0x11, 0x01]);
        v.extend([0xff, 0xd9]);
        v
    }

    fn reason(e: &Invalid) -> &Reason {
        assert_eq!(e.0.len(), 1, "{e}");
        assert_eq!(e.0[0].field, "file", "{e}");
        &e.0[0].reason
    }

    #[test]
    fn a_real_png_is_described_from_its_header() {
        let a = Attachment::inspect("  kassan.png ", TINY_PNG).unwrap();
        assert_eq!(
            (a.name.as_str(), a.content_type.as_str(), a.bytes),
            ("kassan.png", "image/png", TINY_PNG.len() as u64)
        );
        assert_eq!((a.width, a.height), (1, 1));
        assert!(a.problems().is_empty());
        assert_eq!(Attachment::inspect(" ", TINY_PNG).unwrap().name, "image");
    }

    #[test]
    fn a_jpeg_header_is_enough() {
        let a = Attachment::inspect("skylt.jpg", &jpeg_header()).unwrap();
        assert_eq!(a.content_type, "image/jpeg");
        assert_eq!((a.width, a.height), (640, 480));
    }

    #[test]
    fn what_is_not_an_image_is_refused_with_the_reason() {
        let e = Attachment::inspect("notes.png", "Det här är en textfil, ingen bild.".as_bytes())
            .unwrap_err();
        assert_eq!(reason(&e), &Reason::NotImage, "{e}");

        // Random bytes (a fixed xorshift sequence, so the test is repeatable).
        let mut x: u32 = 0x9e37_79b9;
        let noise: Vec<u8> = (0..4096)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 17;
                x ^= x << 5;
                (x >> 24) as u8
            })
            .collect();
        let e = Attachment::inspect("noise.jpg", &noise).unwrap_err();
        assert_eq!(reason(&e), &Reason::NotImage, "{e}");

        // A PNG signature with nothing after it.
        let e = Attachment::inspect("cut.png", &TINY_PNG[..18]).unwrap_err();
        assert_eq!(
            reason(&e),
            &Reason::UnreadableImage {
                content_type: "image/png".into()
            },
            "{e}"
        );

        // A PNG header that says 0×1.
        let mut zero = TINY_PNG.to_vec();
        zero[16..20].copy_from_slice(&[0, 0, 0, 0]);
        let e = Attachment::inspect("zero.png", &zero).unwrap_err();
        assert_eq!(reason(&e), &Reason::ImageSize, "{e}");
    }

    #[test]
    fn empty_and_oversized_files_are_refused() {
        let e = Attachment::inspect("tom.png", &[]).unwrap_err();
        assert_eq!(reason(&e), &Reason::Empty, "{e}");

        let mut big = TINY_PNG.to_vec();
        big.resize(ATTACHMENT_MAX + 1, 0);
        let e = Attachment::inspect("stor.png", &big).unwrap_err();
        assert_eq!(reason(&e), &Reason::TooLargeImage { megabytes: 5 }, "{e}");

        // Exactly at the limit is fine.
        big.truncate(ATTACHMENT_MAX);
        assert!(Attachment::inspect("precis.png", &big).is_ok());
    }

    #[test]
    fn names_are_checked_and_every_problem_is_named() {
        let e = Attachment::inspect("bild\u{7}.png", b"not an image").unwrap_err();
        let fields: Vec<_> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["name", "file"]);
        assert!(Attachment::inspect(&"x".repeat(NAME_MAX + 1), TINY_PNG).is_err());
    }

    fn observation(p: &crate::research::Project) -> ObservationInput {
        let round = p.observation_rounds[0].id;
        ObservationInput {
            round_id: Some(round),
            observer: Some(p.observation_rounds[0].observers[0]),
            observed_on: Some("2026-03-12".into()),
            answers: Some(BTreeMap::from([(
                "situation".to_string(),
                "Kund fotar skylten".to_string(),
            )])),
            ..Default::default()
        }
    }

    #[test]
    fn observations_and_functions_name_known_images_only() {
        let mut p = fixture::full_project();
        let photo = Attachment::inspect("skylt.png", TINY_PNG).unwrap();
        let photo_id = photo.id;
        p.add_attachment(photo.clone());
        p.add_attachment(photo);
        assert_eq!(
            p.attachments.len(),
            1,
            "adding the same image twice keeps one"
        );

        let unknown = AttachmentId::new();
        let e = p
            .add_observation(&ObservationInput {
                photos: Some(vec![photo_id, unknown]),
                ..observation(&p)
            })
            .unwrap_err();
        assert_eq!(e.0[0].field, "photos[1]", "{e}");
        let e = p
            .add_observation(&ObservationInput {
                photos: Some(vec![unknown]),
                ..observation(&p)
            })
            .unwrap_err();
        assert_eq!(e.0[0].field, "photos[0]", "{e}");

        let id = p
            .add_observation(&ObservationInput {
                photos: Some(vec![photo_id, photo_id]),
                ..observation(&p)
            })
            .unwrap();
        assert_eq!(p.observation(id).unwrap().photos, [photo_id]);

        let function = |screenshots| DigitalFunctionInput {
            name: Some("Kartappen".into()),
            what: Some("Öppettider på kartan".into()),
            phases: Some(vec!["before".into()]),
            screenshots,
            ..Default::default()
        };
        let e = p.add_function(&function(Some(vec![unknown]))).unwrap_err();
        assert_eq!(e.0[0].field, "screenshots[0]", "{e}");
        let f = p.add_function(&function(Some(vec![photo_id]))).unwrap();
        assert_eq!(p.function(f).unwrap().screenshots, [photo_id]);
        assert!(p.check().is_ok(), "{:?}", p.check());

        // Export and import keep the images and what names them.
        let back = crate::research::Project::import(p.export().unwrap()).unwrap();
        assert_eq!(back, p);
        assert_eq!(back.attachment(photo_id).unwrap().name, "skylt.png");

        // A dangling reference from outside is named by path.
        let mut broken = p.clone();
        broken.attachments.clear();
        let e = broken.check().unwrap_err();
        let fields: Vec<_> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert!(fields.iter().any(|f| f.ends_with(".photos[0]")), "{e}");
        assert!(fields.iter().any(|f| f.ends_with(".screenshots[0]")), "{e}");
    }

    #[test]
    fn projects_exported_before_images_still_import() {
        let p = fixture::full_project();
        let mut value = p.export().unwrap();
        let project = value["project"].as_object_mut().unwrap();
        project.remove("attachments");
        for o in project["observations"].as_array_mut().unwrap() {
            o.as_object_mut().unwrap().remove("photos");
        }
        for f in project["functions"].as_array_mut().unwrap() {
            f.as_object_mut().unwrap().remove("screenshots");
        }
        assert_eq!(crate::research::Project::import(value).unwrap(), p);
    }

    #[test]
    fn stored_descriptions_are_checked() {
        let mut p = fixture::empty_project();
        let mut a = Attachment::inspect("ok.png", TINY_PNG).unwrap();
        a.content_type = "text/html".into();
        a.name = " ok.png".into();
        p.add_attachment(a);
        let e = p.check().unwrap_err();
        let fields: Vec<_> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(
            fields,
            ["attachments[0].name", "attachments[0].content_type"],
            "{e}"
        );
    }
}
