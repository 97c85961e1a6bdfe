//! A generator of English prose about an invented episode (the building of a canal),
//! with time expressions about as dense as in encyclopedia history articles (one every
//! few hundred bytes). Deterministic: the same seed gives the same text.

/// Sentences with slots: `{M}` month, `{D}` day, `{Y}` year, `{W}` weekday, `{N}` number
/// word, `{U}` unit, `{P}` person, `{T}` town.
const SENTENCES: &[&str] = &[
    "In {M} {Y} the canal company hired {N} hundred labourers from {T}.",
    "The survey party under {P} set out from {T} on {M} {D}, {Y}.",
    "Work on the upper locks stopped for {N} {U} while the engineers argued about the clay.",
    "{P} wrote to the directors that the cutting near {T} was flooded again.",
    "The directors met on {W} morning and voted to borrow more money.",
    "By the spring of {Y} the first barges were moving coal between {T} and {T}.",
    "The workers dug through chalk and gravel, and the foremen kept careful ledgers of every barrel of lime.",
    "Two days later a second breach opened below the aqueduct.",
    "The company paid its men weekly, in coin carried by cart from the bank at {T}.",
    "Nobody in {T} had seen so many strangers, and the innkeepers raised their prices.",
    "{P} resigned at the end of {M}, blaming the weather and the shareholders in equal measure.",
    "During the 1790s dozens of similar schemes were floated on the London exchange.",
    "The embankment settled by several feet, and the masons rebuilt the culvert twice.",
    "On {D} {M} {Y} the summit pound was finally filled.",
    "A traveller described the towpath as the worst road in the county.",
    "For {N} years the tolls barely covered the interest on the debt.",
    "The next morning {P} inspected the lock gates with a lantern.",
    "Carters who had lost their trade threw stones at the boats near {T}.",
    "The committee reported that the tunnel would take another {N} months to finish.",
    "Late in the 18th century the canal was the busiest in the region.",
    "That winter the water froze so hard that boys skated from {T} to {T}.",
    "The accounts show a loss of eleven pounds on the stone from the quarry above {T}.",
    "{P} returned to {T} after the opening ceremony, where a band played on the quay.",
    "Traffic fell sharply after the railway reached {T} in {Y}.",
    "The basin at {T} was enlarged twice, first in {Y} and again about {N} decades later.",
    "At 9 a.m. the first boat passed the new lock, cheered by a crowd of several hundred.",
    "Engineers from three counties came to look at the cast-iron trough over the river.",
    "The canal closed to traffic in {M} {Y} and was drained the following year.",
];
const MONTHS: &[&str] = &[
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const WEEKDAYS: &[&str] = &["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
const NUMBERS: &[&str] = &["two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "twelve"];
const UNITS: &[&str] = &["days", "weeks", "months"];
const PEOPLE: &[&str] = &["Mr. Hale", "Thomas Brindle", "the resident engineer", "Captain Orme", "Mrs. Pell"];
const TOWNS: &[&str] = &["Ashby", "Marston", "Coldwell", "Hatherley", "Brookfield", "Oxley"];

/// A small linear congruential generator (no dependency, stable across platforms).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        ((self.0 >> 33) % n as u64) as usize
    }
}

/// About `bytes` bytes of prose, in paragraphs of a few sentences.
pub fn prose(bytes: usize, seed: u64) -> String {
    let mut rng = Lcg(seed);
    let mut out = String::with_capacity(bytes + 256);
    let mut in_paragraph = 0;
    while out.len() < bytes {
        let template = SENTENCES[rng.next(SENTENCES.len())];
        let mut rest = template;
        while let Some(i) = rest.find('{') {
            out.push_str(&rest[..i]);
            let slot = &rest[i + 1..i + 2];
            match slot {
                "M" => out.push_str(MONTHS[rng.next(MONTHS.len())]),
                "D" => out.push_str(&(1 + rng.next(28)).to_string()),
                "Y" => out.push_str(&(1760 + rng.next(80)).to_string()),
                "W" => out.push_str(WEEKDAYS[rng.next(WEEKDAYS.len())]),
                "N" => out.push_str(NUMBERS[rng.next(NUMBERS.len())]),
                "U" => out.push_str(UNITS[rng.next(UNITS.len())]),
                "P" => out.push_str(PEOPLE[rng.next(PEOPLE.len())]),
                _ => out.push_str(TOWNS[rng.next(TOWNS.len())]),
            }
            rest = &rest[i + 3..];
        }
        out.push_str(rest);
        in_paragraph += 1;
        if in_paragraph >= 3 + rng.next(4) {
            out.push_str("\n\n");
            in_paragraph = 0;
        } else {
            out.push(' ');
        }
    }
    out
}
