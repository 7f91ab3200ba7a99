//! The leak search of the end-to-end tests: what a test searches for in every output, state
//! file, saved plan and trace log it gets, so that no token string and no credential of the
//! provider is ever shown or stored.
#![allow(dead_code)]

/// What must never appear in what Terraform prints or writes.
pub struct LeakSearch {
    /// Whether a text holds a token string (found by its prefix or its shape, so that any
    /// token is caught, not only one whose value the test knows).
    pub token_like: fn(&str) -> bool,
    /// The credential the provider is configured with, and its name in a failure message
    /// ("the {name} leaked into ...").
    pub credential: (&'static str, &'static str),
}

impl LeakSearch {
    /// Panics, naming `what` was searched, if `text` holds a token string or the credential.
    #[track_caller]
    pub fn assert_clean(&self, what: &str, text: &str) {
        assert!(
            !(self.token_like)(text),
            "a token string leaked into {what}"
        );
        let (name, value) = self.credential;
        assert!(!text.contains(value), "the {name} leaked into {what}");
    }

    /// Searches the saved plan `plan` of `ws`: every file in it (once it is seen to hold
    /// `marker`, so that the search reads a real plan) and what `terraform show` prints of it.
    #[track_caller]
    pub fn assert_saved_plan_clean(
        &self,
        ws: &super::terraform::Workspace,
        plan: &str,
        marker: &str,
    ) {
        let saved = ws.plan_file_contents(plan);
        assert!(saved.contains(marker), "the unzipped plan is readable");
        self.assert_clean("the saved plan file", &saved);
        let shown = ws.terraform(&["show", "-no-color", plan]);
        shown.assert_success();
        self.assert_clean("terraform show", &shown.combined());
    }
}
