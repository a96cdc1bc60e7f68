//! The `document_fields` text extraction reports: specimen values for the document's type and
//! country (a passport gets a machine-readable zone with valid check digits), with the fields
//! the user side supplied laid over them.

use serde_json::{Map, Value, json};

use crate::timefmt::{date_years_from, rfc3339};

/// The specimen holder every synthesised document names.
const GIVEN_NAMES: &str = "ALEX";
const FAMILY_NAME: &str = "SPECIMEN";
const DATE_OF_BIRTH: &str = "1990-07-21";

/// What a document's fields are made from.
#[derive(Debug, Clone, Copy)]
pub(crate) struct DocumentFacts<'a> {
    pub(crate) resource_id: &'a str,
    pub(crate) document_type: &'a str,
    pub(crate) issuing_country: &'a str,
    /// When the document was captured (epoch milliseconds): issue and expiry dates are set
    /// around it, so the document is in date.
    pub(crate) captured_ms: u64,
}

/// A document number made of the resource id's first nine letters and digits, upper case.
fn document_number(resource_id: &str) -> String {
    resource_id
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(9)
        .collect::<String>()
        .to_ascii_uppercase()
}

fn issuing_authority(document_type: &str, country: &str) -> &'static str {
    match (country, document_type) {
        ("GBR", "PASSPORT") => "HMPO",
        ("GBR", "DRIVING_LICENCE") => "DVLA",
        ("GBR", "RESIDENCE_PERMIT") => "UKVI",
        _ => "SANDBOX ISSUING AUTHORITY",
    }
}

/// The fields of an ID document.
pub(crate) fn id_document_fields(
    facts: &DocumentFacts<'_>,
    overrides: Option<&Map<String, Value>>,
) -> Value {
    let number = document_number(facts.resource_id);
    let issued = date_years_from(facts.captured_ms, -2);
    let expires = date_years_from(facts.captured_ms, 8);
    let mut fields = json!({
        "full_name": format!("{GIVEN_NAMES} {FAMILY_NAME}"),
        "given_names": GIVEN_NAMES,
        "family_name": FAMILY_NAME,
        "date_of_birth": DATE_OF_BIRTH,
        "gender": "FEMALE",
        "nationality": facts.issuing_country,
        "document_type": facts.document_type,
        "issuing_country": facts.issuing_country,
        "document_number": number,
        "date_of_issue": issued,
        "expiration_date": expires,
        "issuing_authority": issuing_authority(facts.document_type, facts.issuing_country),
    });
    if facts.document_type == "PASSPORT" {
        let (line1, line2) = passport_mrz(facts.issuing_country, &number, &expires);
        fields["mrz"] = json!({"type": 2, "line1": line1, "line2": line2});
    }
    overlay(&mut fields, overrides);
    fields
}

/// The fields of a supplementary document (a proof of address).
pub(crate) fn supplementary_document_fields(
    facts: &DocumentFacts<'_>,
    overrides: Option<&Map<String, Value>>,
) -> Value {
    let mut fields = json!({
        "full_name": format!("{GIVEN_NAMES} {FAMILY_NAME}"),
        "document_type": facts.document_type,
        "issuing_country": facts.issuing_country,
        "date_of_issue": &rfc3339(facts.captured_ms)[..10],
        "structured_postal_address": {
            "address_format": 1,
            "building_number": "1",
            "address_line1": "1 SANDBOX STREET",
            "town_city": "SPECIMEN TOWN",
            "postal_code": "SB1 1AA",
            "country_iso": facts.issuing_country,
            "formatted_address": "1 SANDBOX STREET\nSPECIMEN TOWN\nSB1 1AA",
        },
    });
    overlay(&mut fields, overrides);
    fields
}

/// The profile an identity check reports (`generated_profile`): the holder's identity as the
/// first ID document's fields give it.
pub(crate) fn generated_profile(document_fields: Option<&Value>) -> Value {
    let get = |name: &str, default: &str| -> Value {
        document_fields
            .and_then(|f| f.get(name))
            .cloned()
            .unwrap_or_else(|| json!(default))
    };
    json!({
        "full_name": get("full_name", &format!("{GIVEN_NAMES} {FAMILY_NAME}")),
        "given_names": get("given_names", GIVEN_NAMES),
        "family_name": get("family_name", FAMILY_NAME),
        "date_of_birth": get("date_of_birth", DATE_OF_BIRTH),
        "nationality": get("nationality", ""),
    })
}

pub(crate) fn overlay(fields: &mut Value, overrides: Option<&Map<String, Value>>) {
    if let (Value::Object(fields), Some(overrides)) = (fields, overrides) {
        for (key, value) in overrides {
            fields.insert(key.clone(), value.clone());
        }
    }
}

/// The ICAO 9303 check digit of a machine-readable-zone field.
fn check_digit(field: &str) -> char {
    const WEIGHTS: [u32; 3] = [7, 3, 1];
    let sum: u32 = field
        .chars()
        .zip(WEIGHTS.iter().cycle())
        .map(|(c, w)| {
            let value = match c {
                '0'..='9' => u32::from(c) - u32::from('0'),
                'A'..='Z' => u32::from(c) - u32::from('A') + 10,
                _ => 0,
            };
            value * w
        })
        .sum();
    char::from_digit(sum % 10, 10).unwrap_or('0')
}

/// `text` upper-cased, non-alphanumerics as `<`, padded with `<` (or cut) to `len`.
fn mrz_field(text: &str, len: usize) -> String {
    let mut out: String = text
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_uppercase()
            } else {
                '<'
            }
        })
        .take(len)
        .collect();
    while out.len() < len {
        out.push('<');
    }
    out
}

/// `YYYY-MM-DD` as the zone's `YYMMDD`.
fn mrz_date(date: &str) -> String {
    date.get(2..10)
        .map_or_else(String::new, |d| d.replace('-', ""))
}

/// The two 44-character lines of a passport's zone (TD3).
fn passport_mrz(country: &str, number: &str, expires: &str) -> (String, String) {
    let names = format!("{FAMILY_NAME}<<{GIVEN_NAMES}");
    let line1 = format!("P<{}{}", mrz_field(country, 3), mrz_field(&names, 39));
    let number = mrz_field(number, 9);
    let nationality = mrz_field(country, 3);
    let birth = mrz_date(DATE_OF_BIRTH);
    let expiry = mrz_date(expires);
    let personal = mrz_field("", 14);
    let part = |field: &str| format!("{field}{}", check_digit(field));
    let (number_cd, birth_cd, expiry_cd, personal_cd) =
        (part(&number), part(&birth), part(&expiry), part(&personal));
    let composite = format!("{number_cd}{birth_cd}{expiry_cd}{personal_cd}");
    let line2 = format!(
        "{number_cd}{nationality}{birth_cd}F{expiry_cd}{personal_cd}{}",
        check_digit(&composite)
    );
    (line1, line2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_digits_follow_icao_9303() {
        // The worked example of ICAO 9303 part 3: document number L898902C3 → 6.
        assert_eq!(check_digit("L898902C3"), '6');
        assert_eq!(check_digit("740812"), '2');
        assert_eq!(check_digit("120415"), '9');
        assert_eq!(check_digit("<<<<<<<<<<<<<<"), '0');
    }

    #[test]
    fn a_passport_has_a_consistent_zone() {
        let facts = DocumentFacts {
            resource_id: "3332241d-2ae7-437a-ae48-4b50ddb41638",
            document_type: "PASSPORT",
            issuing_country: "GBR",
            captured_ms: 1_697_448_100_000, // 2023-10-16
        };
        let fields = id_document_fields(&facts, None);
        assert_eq!(fields["document_number"], "3332241D2");
        assert_eq!(fields["expiration_date"], "2031-10-16");
        assert_eq!(fields["date_of_issue"], "2021-10-16");
        let line1 = fields["mrz"]["line1"].as_str().expect("line1");
        let line2 = fields["mrz"]["line2"].as_str().expect("line2");
        assert_eq!(line1.len(), 44);
        assert_eq!(line2.len(), 44);
        assert!(line1.starts_with("P<GBRSPECIMEN<<ALEX<"));
        assert_eq!(
            &line2[..10],
            "3332241D2".to_owned() + &check_digit("3332241D2").to_string()
        );
        assert_eq!(&line2[13..19], "900721");
        assert_eq!(&line2[21..27], "311016");
    }

    #[test]
    fn overrides_win() {
        let facts = DocumentFacts {
            resource_id: "r",
            document_type: "DRIVING_LICENCE",
            issuing_country: "GBR",
            captured_ms: 0,
        };
        let mut overrides = Map::new();
        overrides.insert("full_name".to_owned(), json!("JANE DOE"));
        overrides.insert("extra_field".to_owned(), json!(1));
        let fields = id_document_fields(&facts, Some(&overrides));
        assert_eq!(fields["full_name"], "JANE DOE");
        assert_eq!(fields["extra_field"], 1);
        assert_eq!(fields["issuing_authority"], "DVLA");
        assert!(fields.get("mrz").is_none());
        let profile = generated_profile(Some(&fields));
        assert_eq!(profile["full_name"], "JANE DOE");
        let address = supplementary_document_fields(&facts, None);
        assert_eq!(address["structured_postal_address"]["country_iso"], "GBR");
    }
}
