//! The tabs of the results area as plain data (names, ids, order, arrow-key stepping), kept in
//! the pure layer because both the state (which tab is open) and the tab bar use them.

/// The screens of the results area.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tab {
    Overview,
    Breakdowns,
    Compare,
    Samples,
    Distributions,
    Agreement,
}

impl Tab {
    pub const ALL: [Tab; 6] = [
        Tab::Overview,
        Tab::Breakdowns,
        Tab::Compare,
        Tab::Samples,
        Tab::Distributions,
        Tab::Agreement,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Tab::Overview => "Overview",
            Tab::Breakdowns => "Breakdowns",
            Tab::Compare => "Compare two",
            Tab::Samples => "Samples",
            Tab::Distributions => "Distributions",
            Tab::Agreement => "Agreement",
        }
    }

    /// The id of the tab button (its panel is labelled by it).
    pub fn id(self) -> &'static str {
        match self {
            Tab::Overview => "tab-overview",
            Tab::Breakdowns => "tab-breakdowns",
            Tab::Compare => "tab-compare",
            Tab::Samples => "tab-samples",
            Tab::Distributions => "tab-distributions",
            Tab::Agreement => "tab-agreement",
        }
    }
}

/// The tab `by` steps from `current` among `enabled`, wrapping around at both ends (the
/// WAI-ARIA tabs pattern); a current tab that is not enabled counts as the first.
pub fn step_tab(enabled: &[Tab], current: Tab, by: isize) -> Option<Tab> {
    let at = enabled.iter().position(|t| *t == current).unwrap_or(0) as isize;
    let next = (at + by).rem_euclid(enabled.len().max(1) as isize) as usize;
    enabled.get(next).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(enabled: &[Tab], current: Tab, by: isize, expected: Option<Tab>) {
        assert_eq!(step_tab(enabled, current, by), expected);
    }

    #[test]
    fn arrows_wrap_around_the_enabled_tabs() {
        use Tab::*;
        check(&Tab::ALL, Overview, 1, Some(Breakdowns));
        check(&Tab::ALL, Overview, -1, Some(Agreement));
        check(&Tab::ALL, Distributions, 1, Some(Agreement));
        check(&Tab::ALL, Agreement, 1, Some(Overview));
        check(&[Overview], Overview, 1, Some(Overview));
        check(&[Overview, Samples], Compare, 1, Some(Samples));
        check(&[], Overview, 1, None);
    }

    #[test]
    fn ids_are_distinct() {
        for (i, a) in Tab::ALL.iter().enumerate() {
            for b in &Tab::ALL[i + 1..] {
                assert_ne!(a.id(), b.id());
            }
        }
    }
}
