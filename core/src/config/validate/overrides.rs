//! The `[[override]]` tables of `usher.toml`: each read into an [`OverrideRule`], every
//! problem reported naming the entry (`usher.toml [[override]] #2: ...`). They stay in the
//! settings, in file order, and the request service consults them as each request is made.

use crate::domain::{OverrideRule, RoleSpec};

use super::Validator;
use super::roles::known_role;

impl Validator<'_> {
    /// Reads the override tables; placements may name only the configured `instances`, and
    /// roles only built-in ones or `roles` (the file's).
    pub(super) fn overrides(
        &mut self,
        instances: &[&str],
        roles: &[RoleSpec],
    ) -> Vec<OverrideRule> {
        let mut rules = Vec::new();
        for (n, table) in self.layers.overrides.iter().enumerate() {
            let entry = format!("usher.toml [[override]] #{}", n + 1);
            match OverrideRule::from_toml(table, instances, |name| known_role(name, roles)) {
                Ok(rule) => rules.push(rule),
                Err(problems) => {
                    for problem in problems {
                        self.problems.push(format!("{entry}: {problem}"));
                    }
                }
            }
        }
        rules
    }
}
