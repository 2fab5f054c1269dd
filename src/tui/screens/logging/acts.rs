//! Prompts-to-act on the suspect's own sitting: held back from the logging screen, which the
//! person across the table may read (Stockport 10.9.7: the alleged perpetrator must not be
//! alerted), and handed to the case screen when the sitting is left.

use crate::questionnaire::Respondent;
use crate::session::act_applies;

use super::LoggingScreen;

impl LoggingScreen {
    /// Whether prompts-to-act are held back from this screen: on the suspect's own sitting
    /// (the person across the table may read the screen, and must not be alerted).
    pub fn holds_acts(&self) -> bool {
        self.open.sitting.respondent == Respondent::Suspect
    }

    /// The prompts-to-act held back during this sitting, for the case screen to show once
    /// it is left; empty when none were held.
    pub fn held_acts(&self) -> Vec<String> {
        if !self.holds_acts() {
            return Vec::new();
        }
        self.questionnaire
            .questionnaire
            .questions()
            .filter_map(|(_, q)| {
                let v = self.folded.get(&q.id)?.answer.as_ref()?;
                Some(
                    q.acts
                        .iter()
                        .filter(|a| act_applies(a, v))
                        .map(|a| a.text.clone())
                        .collect::<Vec<_>>(),
                )
            })
            .flatten()
            .collect()
    }
}
