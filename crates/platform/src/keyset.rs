//! Keyset paging: a page of a list starts just after (or just before) a row named by its
//! sort key and id, never at an `OFFSET`. The database seeks to that row through the
//! order's index, so a deep page costs what the first one does, and a link to a page keeps
//! showing the rows that follow the same row however many are added in front of it.
//!
//! An order is one sort column, then the id as the tie-breaker, both in the same
//! direction; a nullable column's NULLs come last. Keys are whole seconds (`DATETIME`) or
//! whole numbers.

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

/// How a cursor's key reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyKind {
    /// A nullable `DATETIME` column.
    Time,
    /// A non-null whole-number column.
    Count,
}

/// The sort column's value in one row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SortKey {
    /// A time, or none.
    Time(Option<NaiveDateTime>),
    /// A count.
    Count(u64),
}

/// A row's place in an order: its sort key and its id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cursor {
    /// The sort column's value.
    pub key: SortKey,
    /// The row's id, which breaks ties.
    pub id: u64,
}

/// The form a time takes in a link: compact and without characters that need escaping.
const TIME_PARAM: &str = "%Y%m%dT%H%M%S";
/// The key of a row whose time is NULL.
const NO_TIME: &str = "none";

impl Cursor {
    /// Its text in a link: `key_id`, e.g. `20260301T100000_17`, `none_17` or `12_17`.
    pub fn to_param(&self) -> String {
        let key = match self.key {
            SortKey::Time(Some(time)) => time.format(TIME_PARAM).to_string(),
            SortKey::Time(None) => NO_TIME.to_string(),
            SortKey::Count(count) => count.to_string(),
        };
        format!("{key}_{}", self.id)
    }

    /// The cursor a link's `text` names in an order whose key is of `kind`; `None` for
    /// anything malformed, so an edited link falls back to the first page.
    pub fn parse(kind: KeyKind, text: &str) -> Option<Cursor> {
        let (key, id) = text.trim().split_once('_')?;
        let id = id.parse().ok()?;
        let key = match kind {
            KeyKind::Time if key == NO_TIME => SortKey::Time(None),
            KeyKind::Time => {
                SortKey::Time(Some(NaiveDateTime::parse_from_str(key, TIME_PARAM).ok()?))
            }
            KeyKind::Count => SortKey::Count(key.parse().ok()?),
        };
        Some(Cursor { key, id })
    }
}

/// Where a page starts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum PageStart {
    /// At the top of the list.
    #[default]
    First,
    /// Just after this row.
    After(Cursor),
    /// Just before this row (the page read backwards, shown in order).
    Before(Cursor),
}

impl PageStart {
    /// The start that a link's `after` and `before` parameters name (`after` wins; a
    /// malformed one is ignored).
    pub fn from_params(kind: KeyKind, after: &str, before: &str) -> PageStart {
        if let Some(cursor) = Cursor::parse(kind, after) {
            PageStart::After(cursor)
        } else if let Some(cursor) = Cursor::parse(kind, before) {
            PageStart::Before(cursor)
        } else {
            PageStart::First
        }
    }

    /// The `after` and `before` parameters of a link to it (blank where unused).
    pub fn params(&self) -> (String, String) {
        match self {
            PageStart::First => (String::new(), String::new()),
            PageStart::After(cursor) => (cursor.to_param(), String::new()),
            PageStart::Before(cursor) => (String::new(), cursor.to_param()),
        }
    }
}

/// One page of rows, in the list's order, and whether pages lie on either side.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Paged<T> {
    /// The rows.
    pub rows: Vec<T>,
    /// Whether a page lies before this one.
    pub has_previous: bool,
    /// Whether a page lies after this one.
    pub has_next: bool,
}

impl<T> Paged<T> {
    /// The page of `size` rows from `read`: the rows that [`KeysetOrder`]'s SQL returned
    /// with `LIMIT size + 1`, in the order it read them.
    pub fn from_read(start: &PageStart, mut read: Vec<T>, size: usize) -> Paged<T> {
        let more = read.len() > size;
        read.truncate(size);
        match start {
            PageStart::First => Paged {
                rows: read,
                has_previous: false,
                has_next: more,
            },
            PageStart::After(_) => Paged {
                rows: read,
                has_previous: true,
                has_next: more,
            },
            PageStart::Before(_) => {
                read.reverse();
                Paged {
                    rows: read,
                    has_previous: more,
                    has_next: true,
                }
            }
        }
    }

    /// The starts of the neighbouring pages, given each row's cursor: the previous page
    /// ends just before the first row (or is the first page, when this one came out
    /// empty), the next one starts just after the last row.
    pub fn neighbours(
        &self,
        cursor: impl Fn(&T) -> Cursor,
    ) -> (Option<PageStart>, Option<PageStart>) {
        let previous = self.has_previous.then(|| {
            self.rows
                .first()
                .map_or(PageStart::First, |row| PageStart::Before(cursor(row)))
        });
        let next = self
            .has_next
            .then(|| self.rows.last().map(|row| PageStart::After(cursor(row))))
            .flatten();
        (previous, next)
    }
}

/// An order that pages by keyset: `column` then `id`, both descending or both ascending.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeysetOrder {
    /// The sort column, qualified as the query names it (`p.published_at`).
    pub column: &'static str,
    /// The id column, likewise.
    pub id: &'static str,
    /// Whether the list runs from the largest key down.
    pub descending: bool,
    /// What the column holds.
    pub kind: KeyKind,
}

impl KeysetOrder {
    /// The condition that keeps the rows on the page's side of `start` (`None` for the
    /// first page). Keys are typed values, so they are written into the SQL as literals.
    pub fn condition(&self, start: &PageStart) -> Option<String> {
        let (cursor, forward) = match start {
            PageStart::First => return None,
            PageStart::After(cursor) => (cursor, true),
            PageStart::Before(cursor) => (cursor, false),
        };
        let (column, id) = (self.column, self.id);
        let beyond = if forward == self.descending { "<" } else { ">" };
        let row_id = cursor.id;
        let value = match cursor.key {
            SortKey::Time(Some(time)) => format!("'{}'", time.format("%Y-%m-%d %H:%M:%S")),
            SortKey::Count(count) => count.to_string(),
            SortKey::Time(None) if forward => {
                return Some(format!("({column} IS NULL AND {id} {beyond} {row_id})"));
            }
            // Every non-null key lies before the NULLs, which come last.
            SortKey::Time(None) => {
                return Some(format!("({column} IS NOT NULL OR {id} {beyond} {row_id})"));
            }
        };
        let seek =
            format!("{column} {beyond} {value} OR ({column} = {value} AND {id} {beyond} {row_id})");
        // Going forward from a non-null key, the NULLs at the end of the list follow too.
        let nulls_follow = forward && self.kind == KeyKind::Time;
        Some(if nulls_follow {
            format!("({seek} OR {column} IS NULL)")
        } else {
            format!("({seek})")
        })
    }

    /// `ORDER BY …` reading the page from `start`: the list's order, or backwards from a
    /// [`PageStart::Before`]. NULLs come last in the list: MariaDB sorts them first going
    /// up, so only an ascending order over a nullable column needs the `IS NULL` term
    /// (which costs that order its index).
    pub fn order_by(&self, start: &PageStart) -> String {
        let backwards = matches!(start, PageStart::Before(_));
        let descending = self.descending != backwards;
        let direction = if descending { "DESC" } else { "ASC" };
        let (column, id) = (self.column, self.id);
        let nulls = match (self.kind, self.descending, backwards) {
            (KeyKind::Time, false, false) => format!("{column} IS NULL, "),
            (KeyKind::Time, false, true) => format!("{column} IS NOT NULL, "),
            _ => String::new(),
        };
        format!("ORDER BY {nulls}{column} {direction}, {id} {direction}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn time(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S").expect("a valid test time")
    }

    #[test]
    fn cursors_round_trip_through_links_and_malformed_ones_start_at_the_top() {
        let cursors = [
            (
                KeyKind::Time,
                Cursor {
                    key: SortKey::Time(Some(time("2026-03-01 10:00:05"))),
                    id: 17,
                },
                "20260301T100005_17",
            ),
            (
                KeyKind::Time,
                Cursor {
                    key: SortKey::Time(None),
                    id: 3,
                },
                "none_3",
            ),
            (
                KeyKind::Count,
                Cursor {
                    key: SortKey::Count(12),
                    id: 9,
                },
                "12_9",
            ),
        ];
        for (kind, cursor, text) in cursors {
            assert_eq!(cursor.to_param(), text);
            assert_eq!(Cursor::parse(kind, text), Some(cursor));
        }
        for malformed in ["", "12", "_9", "x_9", "12_x", "none_9"] {
            assert_eq!(
                Cursor::parse(KeyKind::Count, malformed),
                None,
                "{malformed}"
            );
        }
        assert_eq!(
            PageStart::from_params(KeyKind::Count, "x", ""),
            PageStart::First
        );
        let start = PageStart::from_params(KeyKind::Count, "", "12_9");
        assert_eq!(start.params(), (String::new(), "12_9".to_string()));
    }

    #[test]
    fn a_page_read_backwards_is_shown_in_order_with_both_neighbours() {
        let cursor = |id: &u64| Cursor {
            key: SortKey::Count(*id),
            id: *id,
        };
        let before = PageStart::Before(cursor(&10));
        let page = Paged::from_read(&before, vec![9, 8, 7, 6], 3);
        assert_eq!(page.rows, vec![7, 8, 9]);
        assert_eq!(
            page.neighbours(cursor),
            (
                Some(PageStart::Before(cursor(&7))),
                Some(PageStart::After(cursor(&9)))
            )
        );
        let last = Paged::from_read(&PageStart::After(cursor(&3)), vec![2, 1], 3);
        assert_eq!(
            last.neighbours(cursor),
            (Some(PageStart::Before(cursor(&2))), None)
        );
        let past_the_end = Paged::<u64>::from_read(&PageStart::After(cursor(&1)), vec![], 3);
        assert_eq!(
            past_the_end.neighbours(cursor),
            (Some(PageStart::First), None)
        );
        let first = Paged::from_read(&PageStart::First, vec![5, 4, 3, 2], 3);
        assert_eq!(
            first.neighbours(cursor),
            (None, Some(PageStart::After(cursor(&3))))
        );
    }

    #[test]
    fn nullable_ascending_orders_keep_nulls_last_both_ways() {
        let order = KeysetOrder {
            column: "p.due",
            id: "p.id",
            descending: false,
            kind: KeyKind::Time,
        };
        let at = Cursor {
            key: SortKey::Time(Some(time("2026-03-01 10:00:00"))),
            id: 5,
        };
        assert_eq!(
            order.condition(&PageStart::After(at)).as_deref(),
            Some(
                "(p.due > '2026-03-01 10:00:00' OR (p.due = '2026-03-01 10:00:00' AND p.id > 5) \
                 OR p.due IS NULL)"
            )
        );
        assert_eq!(
            order.order_by(&PageStart::After(at)),
            "ORDER BY p.due IS NULL, p.due ASC, p.id ASC"
        );
        assert_eq!(
            order.order_by(&PageStart::Before(at)),
            "ORDER BY p.due IS NOT NULL, p.due DESC, p.id DESC"
        );
        let none = Cursor {
            key: SortKey::Time(None),
            id: 5,
        };
        assert_eq!(
            order.condition(&PageStart::Before(none)).as_deref(),
            Some("(p.due IS NOT NULL OR p.id < 5)")
        );
        assert_eq!(order.condition(&PageStart::First), None);
    }
}
