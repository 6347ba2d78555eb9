//! A console form that came back refused: which form on the page, which field was at fault,
//! the message in the reader's language and the values as typed. Pages carry one
//! [`FormState`] (empty on a plain GET); templates ask it for the message beside a field and
//! the value to show, so a bad value re-renders the same form instead of an error page.

/// What a refused form post leaves for the page that shows the form again.
#[derive(Debug, Clone, Default)]
pub struct FormState {
    /// Id of the form on its page (`decline`, `passkey-abc`, `quota-movie`); empty: none.
    form: String,
    /// The field at fault; empty when the refusal is about the whole form.
    field: String,
    /// Why, in the reader's language.
    message: String,
    /// The submitted values (never secrets), to fill the form again.
    values: Vec<(String, String)>,
    /// The HTTP status the page answers with (422 for bad input, 409 for a conflict).
    status: u16,
}

impl FormState {
    /// A refusal of `field` (empty: the whole form) of `form`, with the values as typed.
    pub fn invalid(form: &str, field: &str, message: String, values: &[(&str, &str)]) -> Self {
        Self {
            form: form.to_owned(),
            field: field.to_owned(),
            message,
            values: values
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
            status: 422,
        }
    }

    /// The same refusal answered with another status (core's: 409 for a conflict).
    pub fn with_status(mut self, status: u16) -> Self {
        self.status = status;
        self
    }

    /// The status the page with this form answers with: 200 when nothing was refused.
    pub fn status(&self) -> u16 {
        if self.is_refused() { self.status } else { 200 }
    }

    /// Whether some form on the page was refused (the page answers 422 then).
    pub fn is_refused(&self) -> bool {
        !self.form.is_empty()
    }

    /// Whether `form` is the one that came back (a closed `<details>` around it opens).
    pub fn came_back(&self, form: &str) -> bool {
        self.is_refused() && self.form == form
    }

    /// The message beside `field` of `form`, when that field is at fault.
    pub fn error(&self, form: &str, field: &str) -> Option<&str> {
        (self.is_refused() && !self.field.is_empty() && self.form == form && self.field == field)
            .then_some(self.message.as_str())
    }

    /// The message for the page's alert: a refusal about a whole form, not one field.
    pub fn general(&self) -> Option<&str> {
        (self.is_refused() && self.field.is_empty()).then_some(self.message.as_str())
    }

    /// The value `field` of `form` should show: as typed when that form came back, else
    /// `saved`.
    pub fn value<'a>(&'a self, form: &str, field: &str, saved: &'a str) -> &'a str {
        if self.form != form {
            return saved;
        }
        self.values
            .iter()
            .find(|(k, _)| k == field)
            .map_or(saved, |(_, v)| v.as_str())
    }

    /// Whether `field` of `form` is at fault, for `aria-invalid`.
    pub fn invalid_field(&self, form: &str, field: &str) -> bool {
        self.error(form, field).is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refusal_belongs_to_one_field_of_one_form() {
        let state = FormState::invalid(
            "decline",
            "reason",
            "Say why.".into(),
            &[("reason", " "), ("preset", "other")],
        );
        assert!(state.is_refused());
        assert_eq!(state.status(), 422);
        assert_eq!(state.clone().with_status(409).status(), 409);
        assert!(state.came_back("decline") && !state.came_back("approve"));
        assert_eq!(state.error("decline", "reason"), Some("Say why."));
        assert_eq!(state.error("decline", "preset"), None);
        assert_eq!(state.error("approve", "reason"), None);
        assert_eq!(state.general(), None);
        assert_eq!(state.value("decline", "preset", ""), "other");
        assert_eq!(state.value("approve", "preset", "saved"), "saved");
        assert_eq!(state.value("decline", "missing", "saved"), "saved");
    }

    #[test]
    fn a_whole_form_refusal_is_the_pages_alert() {
        let state = FormState::invalid("retry", "", "Already decided.".into(), &[]);
        assert_eq!(state.general(), Some("Already decided."));
        assert!(!state.invalid_field("retry", ""));
        let empty = FormState::default();
        assert!(!empty.is_refused());
        assert_eq!(empty.status(), 200);
        assert_eq!(empty.general(), None);
        assert_eq!(empty.error("", ""), None);
    }
}
