//! A small deterministic generator, so that every demo database and every generated test
//! input looks the same from run to run.

/// xorshift64* seeded by its one field: the same seed gives the same rolls.
pub struct Dice(pub u64);

impl Dice {
    /// The next 64 random bits.
    pub fn bits(&mut self) -> u64 {
        // xorshift64*: plenty for picking demo data.
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.bits() % n.max(1)
    }

    /// One of `items`, which must not be empty.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    /// A value in `-spread..=spread`.
    pub fn offset(&mut self, spread: f64) -> f64 {
        (self.below(2001) as f64 / 1000.0 - 1.0) * spread
    }
}

#[cfg(test)]
mod tests {
    use super::Dice;

    #[test]
    fn the_same_seed_rolls_the_same_and_rolls_stay_in_range() {
        let rolls = |seed| {
            let mut dice = Dice(seed);
            (0..64).map(|_| dice.below(10)).collect::<Vec<_>>()
        };
        assert_eq!(rolls(7), rolls(7));
        assert_ne!(rolls(7), rolls(8));
        assert!(rolls(7).iter().all(|roll| *roll < 10));
        let mut dice = Dice(7);
        assert_eq!(dice.below(0), 0);
        assert!(
            (0..100)
                .map(|_| dice.offset(0.5))
                .all(|x| (-0.5..=0.5).contains(&x))
        );
    }
}
