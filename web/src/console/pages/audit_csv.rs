//! The audit log as CSV (RFC 4180: quoted where needed, CRLF line ends), safe to open in a
//! spreadsheet: a cell that would start a formula (`=`, `+`, `-`, `@`, tab, carriage return) is
//! prefixed with `'` so it stays text.

use usher_core::store::audit::AuditLine;

/// Most rows one export holds.
pub const MAX_ROWS: usize = 100_000;

/// The header line.
pub fn header() -> String {
    let mut out = String::new();
    push_line(
        &mut out,
        &[
            "id",
            "at",
            "actor_id",
            "actor",
            "source",
            "source_detail",
            "action",
            "target",
            "details",
        ],
    );
    out
}

/// Appends one row.
pub fn push_row(out: &mut String, line: &AuditLine) {
    let e = &line.entry;
    let cells = [
        e.id.to_string(),
        e.at.to_rfc3339(),
        e.actor.map(|a| a.to_string()).unwrap_or_default(),
        line.actor_name.clone().unwrap_or_default(),
        e.source.clone(),
        e.source_detail.clone().unwrap_or_default(),
        e.action.clone(),
        e.target.clone(),
        e.details.to_string(),
    ];
    let refs: Vec<&str> = cells.iter().map(String::as_str).collect();
    push_line(out, &refs);
}

fn push_line(out: &mut String, cells: &[&str]) {
    for (i, cell) in cells.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&cell_text(cell));
    }
    out.push_str("\r\n");
}

/// One cell: formula-guarded, then quoted if it holds a comma, quote or line break.
pub fn cell_text(cell: &str) -> String {
    let guarded = if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.to_owned()
    };
    if guarded.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", guarded.replace('"', "\"\""))
    } else {
        guarded
    }
}

#[cfg(test)]
mod tests {
    use usher_core::domain::{AuditEntry, Timestamp, UserId};

    use super::*;

    #[test]
    fn cells_are_quoted_and_formulas_defused() {
        assert_eq!(cell_text("plain"), "plain");
        assert_eq!(cell_text("a,b"), "\"a,b\"");
        assert_eq!(cell_text("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(cell_text("two\nlines"), "\"two\nlines\"");
        assert_eq!(cell_text("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(cell_text("+1"), "'+1");
        assert_eq!(cell_text("-2"), "'-2");
        assert_eq!(cell_text("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(cell_text("\tx"), "'\tx");
        assert_eq!(cell_text(""), "");
    }

    #[test]
    fn a_row_has_every_column() {
        let line = AuditLine {
            entry: AuditEntry {
                id: 7,
                at: Timestamp(0),
                actor: Some(UserId(3)),
                source: "web".into(),
                source_detail: Some("127.0.0.1".into()),
                action: "setting_changed".into(),
                target: "setting:plex_url".into(),
                details: serde_json::json!({"before": null, "after": "http://plex"}),
            },
            actor_name: Some("=cmd|' /C calc'!A0".into()),
        };
        let mut out = header();
        push_row(&mut out, &line);
        let lines: Vec<&str> = out.split("\r\n").collect();
        assert_eq!(
            lines[0],
            "id,at,actor_id,actor,source,source_detail,action,target,details"
        );
        assert_eq!(
            lines[1],
            "7,1970-01-01T00:00:00Z,3,'=cmd|' /C calc'!A0,web,127.0.0.1,setting_changed,setting:plex_url,\"{\"\"after\"\":\"\"http://plex\"\",\"\"before\"\":null}\""
        );
        assert_eq!(lines[2], "");
    }
}
