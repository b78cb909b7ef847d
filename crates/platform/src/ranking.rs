//! Competition ranking ("1224"), the one way every published rank is numbered: equal
//! scores share a rank and the next rank skips as many places as shared it.

/// The ranks of `scores`, highest score first, in the order of `scores`. Scores closer
/// than `tie` share a rank (sums of fractions must not be ordered by floating-point
/// noise); the next distinct score takes the rank of its position.
pub fn competition_ranks(scores: &[f64], tie: f64) -> Vec<u32> {
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]).then(a.cmp(&b)));
    let mut ranks = vec![0; scores.len()];
    let mut rank = 0u32;
    let mut previous: Option<f64> = None;
    for (place, &index) in order.iter().enumerate() {
        let score = scores[index];
        if previous.is_none_or(|previous| (previous - score).abs() > tie) {
            rank = u32::try_from(place + 1).unwrap_or(u32::MAX);
        }
        previous = Some(score);
        ranks[index] = rank;
    }
    ranks
}

#[cfg(test)]
mod tests {
    use super::competition_ranks;

    #[test]
    fn equal_scores_share_a_rank_and_the_next_skips() {
        assert_eq!(
            competition_ranks(&[2.0, 5.0, 5.0, 1.0, 3.0], 1e-9),
            [4, 1, 1, 5, 3]
        );
    }

    #[test]
    fn scores_within_the_tolerance_are_equal() {
        let third = 1.0 / 3.0;
        assert_eq!(competition_ranks(&[third * 3.0, 1.0, 0.5], 1e-9), [1, 1, 3]);
        assert!(competition_ranks(&[], 1e-9).is_empty());
    }
}
