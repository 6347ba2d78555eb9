//! The `[[role]]` and `[[role_grant]]` tables of `usher.toml`: each read into a
//! [`RoleSpec`] or [`GrantSpec`], every problem reported naming the entry (`[[role]] #2
//! "family"`), so the operator fixes them all in one pass. They are applied to the database at
//! start-up (`UserService::apply_file_roles`).

use crate::domain::role::builtin;
use crate::domain::{GrantSpec, RoleSpec};

use super::Validator;

impl Validator<'_> {
    /// Reads the role tables; placements may name only the instances in `instances`.
    pub(super) fn roles(&mut self, instances: &[&str]) -> Vec<RoleSpec> {
        let mut specs: Vec<RoleSpec> = Vec::new();
        for (n, table) in self.layers.roles.iter().enumerate() {
            let entry = entry_name("role", n, table);
            match RoleSpec::from_toml(table, instances) {
                Ok(spec) if specs.iter().any(|s| s.name == spec.name) => self
                    .problems
                    .push(format!("{entry}: another [[role]] has this name")),
                Ok(spec) => specs.push(spec),
                Err(problems) => {
                    for problem in problems {
                        self.problems.push(format!("{entry}: {problem}"));
                    }
                }
            }
        }
        specs
    }

    /// Reads the grant tables; each must name a built-in role or one of `roles`.
    pub(super) fn role_grants(&mut self, roles: &[RoleSpec]) -> Vec<GrantSpec> {
        let mut grants = Vec::new();
        for (n, table) in self.layers.role_grants.iter().enumerate() {
            let entry = entry_name("role_grant", n, table);
            match GrantSpec::from_toml(table) {
                Ok(grant) if known_role(&grant.role, roles) => grants.push(grant),
                Ok(grant) => self.problems.push(format!(
                    "{entry}: unknown role `{}`; name a built-in role ({}) or a [[role]] of this file",
                    grant.role,
                    builtin::ALL.join(", ")
                )),
                Err(why) => self.problems.push(format!("{entry}: {why}")),
            }
        }
        grants
    }
}

/// Whether `name` is a built-in role or one of `roles` (the file's).
pub(super) fn known_role(name: &str, roles: &[RoleSpec]) -> bool {
    builtin::ALL.contains(&name) || roles.iter().any(|r| r.name == name)
}

/// `[[role]] #2 "family"`: the entry's place in the file (from 1) and its name if any.
fn entry_name(kind: &str, index: usize, table: &toml::Table) -> String {
    let named = table
        .get("name")
        .or_else(|| table.get("role"))
        .and_then(toml::Value::as_str)
        .map(|name| format!(" \"{name}\""))
        .unwrap_or_default();
    format!("usher.toml [[{kind}]] #{}{named}", index + 1)
}
