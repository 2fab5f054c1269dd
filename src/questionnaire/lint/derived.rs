//! Pass 3 for `[[derived]]` comparisons: a key of its own, two number cross-checks of this
//! questionnaire to multiply, and number comparison parameters in range.

use std::collections::HashSet;

use super::{Checker, inert};
use crate::questionnaire::position::Seg;
use crate::questionnaire::{AnswerSpec, Questionnaire};

impl Checker<'_, '_> {
    pub(super) fn check_derived(&mut self, q: &Questionnaire, cross_keys: &HashSet<&str>) {
        let mut derived_keys = HashSet::new();
        for (di, d) in q.derived.iter().enumerate() {
            let with = |k| [Seg::Key("derived"), Seg::Index(di), Seg::Key(k)];
            self.check_id(&with("key"), &d.key, "derived key");
            if cross_keys.contains(d.key.as_str()) {
                self.at(
                    &with("key"),
                    format!(
                        "derived key `{}` is also a cross-check key; give the derived comparison a key of its own",
                        inert(&d.key)
                    ),
                );
            } else if !d.key.is_empty() && !derived_keys.insert(d.key.as_str()) {
                self.at(
                    &with("key"),
                    format!(
                        "derived key `{}` is used twice in this questionnaire",
                        inert(&d.key)
                    ),
                );
            }
            self.non_empty(&with("prompt"), &d.prompt, "prompt");
            self.non_empty(&with("source"), &d.source, "source");
            self.check_product(q, di, &d.product);
            if let Some(f) = d.factor
                && !(f.is_finite() && f > 0.0)
            {
                self.at(
                    &with("factor"),
                    format!("factor must be a number above 0, found {f}"),
                );
            }
            self.check_number_params(
                &with("tolerance"),
                &with("relative"),
                d.tolerance,
                d.relative,
            );
        }
    }

    fn check_product(&mut self, q: &Questionnaire, di: usize, product: &[String]) {
        let path = [Seg::Key("derived"), Seg::Index(di), Seg::Key("product")];
        if product.len() != 2 {
            self.at(
                &path,
                format!(
                    "`product` names exactly two cross-check keys, found {}",
                    product.len()
                ),
            );
            return;
        }
        if product[0] == product[1] {
            self.at(
                &path,
                format!("`product` names `{}` twice", inert(&product[0])),
            );
        }
        for (i, key) in product.iter().enumerate() {
            let at = [path[0], path[1], path[2], Seg::Index(i)];
            match q.cross_checked(key) {
                None => self.at(
                    &at,
                    format!(
                        "`{}` is not a cross-check key of this questionnaire",
                        inert(key)
                    ),
                ),
                Some(question) if !matches!(question.answer, AnswerSpec::Number { .. }) => {
                    self.at(
                        &at,
                        format!(
                            "`{}` is a `{}` question; a product needs two numbers",
                            inert(key),
                            question.answer.type_name()
                        ),
                    );
                }
                Some(_) => {}
            }
        }
    }
}
