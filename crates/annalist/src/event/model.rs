//! Linear multi-class heads over hashed features, their averaged-perceptron
//! training, and the compact binary model format.
//!
//! Format (little-endian): magic `ANEVT1\0\0`, `u32` head count, then per head:
//! `u8` name length + name, `u8` label count + (`u8` length + label) each, `u8` bucket
//! bits, `u32` non-zero weight count, then per non-zero weight a LEB128 gap from the
//! previous non-zero index and a zigzag LEB128 `i16` value. Weights are the averaged
//! perceptron weights quantized to `i16` per head.

use crate::Error;

const MAGIC: &[u8; 8] = b"ANEVT1\0\0";

/// One trained head: `weights[bucket * labels.len() + label]`.
#[derive(Debug, Clone)]
pub(crate) struct Head {
    pub name: String,
    pub labels: Vec<String>,
    pub bits: u32,
    pub weights: Vec<i16>,
}

// Prediction is done by `engine::Engine`; these plain sums are the reference it is
// tested against.
#[cfg(test)]
impl Head {
    #[inline]
    fn bucket(&self, f: u64) -> usize {
        (f >> (64 - self.bits)) as usize
    }

    /// The best label index for `feats` (ties go to the lower index).
    #[inline]
    pub fn predict(&self, feats: &[u64]) -> usize {
        match self.labels.len() {
            4 => self.predict_n::<4>(feats),
            7 => self.predict_n::<7>(feats),
            8 => self.predict_n::<8>(feats),
            _ => self.predict_any(feats),
        }
    }

    /// `predict` with the label count known at compile time: the weights of one
    /// bucket load and add as one vector, so the (cache-missing) loads of many
    /// features overlap.
    #[inline]
    fn predict_n<const N: usize>(&self, feats: &[u64]) -> usize {
        let mut scores = [0i32; N];
        for &f in feats {
            let b = self.bucket(f) * N;
            let w: &[i16; N] = self.weights[b..b + N].try_into().expect("bucket slice has N weights");
            for l in 0..N {
                scores[l] += w[l] as i32;
            }
        }
        argmax(&scores)
    }

    fn predict_any(&self, feats: &[u64]) -> usize {
        let nl = self.labels.len();
        let mut scores = [0i32; 16];
        for &f in feats {
            let b = self.bucket(f) * nl;
            for (s, &x) in scores.iter_mut().zip(&self.weights[b..b + nl]) {
                *s += x as i32;
            }
        }
        argmax(&scores[..nl])
    }
}

fn argmax<T: PartialOrd + Copy>(s: &[T]) -> usize {
    let mut best = 0;
    for (i, &v) in s.iter().enumerate() {
        if v > s[best] {
            best = i;
        }
    }
    best
}

/// A set of named heads.
#[derive(Debug, Clone)]
pub(crate) struct Model {
    pub heads: Vec<Head>,
}

fn bad(message: impl Into<String>) -> Error {
    Error::Format { file: "event model".into(), line: 0, message: message.into() }
}

fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

struct Reader<'a> {
    b: &'a [u8],
    pos: usize,
}

impl Reader<'_> {
    fn byte(&mut self) -> Result<u8, Error> {
        let v = *self.b.get(self.pos).ok_or_else(|| bad("truncated model"))?;
        self.pos += 1;
        Ok(v)
    }
    fn bytes(&mut self, n: usize) -> Result<&[u8], Error> {
        let s = self.b.get(self.pos..self.pos + n).ok_or_else(|| bad("truncated model"))?;
        self.pos += n;
        Ok(s)
    }
    fn u32(&mut self) -> Result<u32, Error> {
        let s = self.bytes(4)?;
        Ok(u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
    }
    fn string(&mut self) -> Result<String, Error> {
        let n = self.byte()? as usize;
        String::from_utf8(self.bytes(n)?.to_vec()).map_err(|_| bad("label is not UTF-8"))
    }
    /// A LEB128 value of at most ten bytes (bits beyond 64 are dropped).
    #[inline]
    fn varint(&mut self) -> Result<u64, Error> {
        let rest = &self.b[self.pos..];
        let mut v = 0u64;
        for (k, &b) in rest.iter().take(10).enumerate() {
            v |= ((b & 0x7f) as u64) << (7 * k);
            if b & 0x80 == 0 {
                self.pos += k + 1;
                return Ok(v);
            }
        }
        Err(bad(if rest.len() > 10 { "varint overflow" } else { "truncated model" }))
    }
}

impl Model {
    /// Serializes the model.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = MAGIC.to_vec();
        out.extend((self.heads.len() as u32).to_le_bytes());
        for h in &self.heads {
            out.push(h.name.len() as u8);
            out.extend(h.name.as_bytes());
            out.push(h.labels.len() as u8);
            for l in &h.labels {
                out.push(l.len() as u8);
                out.extend(l.as_bytes());
            }
            out.push(h.bits as u8);
            let nz = h.weights.iter().filter(|&&w| w != 0).count();
            out.extend((nz as u32).to_le_bytes());
            let mut prev = 0usize;
            for (i, &w) in h.weights.iter().enumerate() {
                if w != 0 {
                    put_varint(&mut out, (i - prev) as u64);
                    let z = ((w as i32) << 1) ^ ((w as i32) >> 31);
                    put_varint(&mut out, z as u64);
                    prev = i;
                }
            }
        }
        out
    }

    /// Reads a model written by [`Model::to_bytes`].
    pub fn from_bytes(b: &[u8]) -> Result<Model, Error> {
        if b.len() < 12 || &b[..8] != MAGIC {
            return Err(bad("not an annalist event model (bad magic)"));
        }
        let mut r = Reader { b, pos: 8 };
        let n = r.u32()? as usize;
        if n > 16 {
            return Err(bad("too many heads"));
        }
        let mut heads = Vec::with_capacity(n);
        for _ in 0..n {
            let name = r.string()?;
            let nl = r.byte()? as usize;
            if nl == 0 || nl > 16 {
                return Err(bad(format!("head {name}: bad label count {nl}")));
            }
            let labels = (0..nl).map(|_| r.string()).collect::<Result<Vec<_>, _>>()?;
            let bits = r.byte()? as u32;
            if !(8..=24).contains(&bits) {
                return Err(bad(format!("head {name}: bad bucket bits {bits}")));
            }
            let size = (1usize << bits) * nl;
            let nz = r.u32()? as usize;
            if nz > size {
                return Err(bad(format!("head {name}: too many weights")));
            }
            let mut weights = vec![0i16; size];
            let mut idx = 0usize;
            for _ in 0..nz {
                idx += r.varint()? as usize;
                let z = r.varint()? as u32;
                let v = ((z >> 1) as i32) ^ -((z & 1) as i32);
                let slot =
                    weights.get_mut(idx).ok_or_else(|| bad(format!("head {name}: weight index out of range")))?;
                *slot = i16::try_from(v).map_err(|_| bad("weight out of range"))?;
            }
            heads.push(Head { name, labels, bits, weights });
        }
        if r.pos != b.len() {
            return Err(bad("trailing bytes after model"));
        }
        Ok(Model { heads })
    }

    /// The head called `name`.
    pub fn head(&self, name: &str) -> Result<&Head, Error> {
        self.heads.iter().find(|h| h.name == name).ok_or_else(|| bad(format!("model has no head {name:?}")))
    }
}

/// An averaged perceptron being trained (dense, hashed).
pub(crate) struct TrainHead {
    name: String,
    labels: Vec<String>,
    bits: u32,
    w: Vec<i32>,
    /// Sum over updates of `step * delta`, for averaging.
    u: Vec<i64>,
    step: i64,
}

impl TrainHead {
    pub fn new(name: &str, labels: &[&str], bits: u32) -> TrainHead {
        let size = (1usize << bits) * labels.len();
        TrainHead {
            name: name.into(),
            labels: labels.iter().map(|s| s.to_string()).collect(),
            bits,
            w: vec![0; size],
            u: vec![0; size],
            step: 1,
        }
    }

    pub fn labels(&self) -> usize {
        self.labels.len()
    }

    #[inline]
    fn bucket(&self, f: u64) -> usize {
        (f >> (64 - self.bits)) as usize
    }

    /// The current (not averaged) prediction.
    pub fn predict(&self, feats: &[u64]) -> usize {
        let nl = self.labels.len();
        let mut scores = [0i64; 16];
        for &f in feats {
            let b = self.bucket(f) * nl;
            for (s, &w) in scores.iter_mut().zip(&self.w[b..b + nl]) {
                *s += w as i64;
            }
        }
        argmax(&scores[..nl])
    }

    /// One training example: predicts, and on a mistake moves `weight` towards `gold`.
    /// Returns whether the prediction was right.
    pub fn learn(&mut self, feats: &[u64], gold: usize, weight: i32) -> bool {
        let guess = self.predict(feats);
        if guess != gold {
            let nl = self.labels.len();
            for &f in feats {
                let b = self.bucket(f) * nl;
                self.w[b + gold] += weight;
                self.u[b + gold] += self.step * weight as i64;
                self.w[b + guess] -= weight;
                self.u[b + guess] -= self.step * weight as i64;
            }
        }
        self.step += 1;
        guess == gold
    }

    /// The averaged weights, quantized.
    pub fn finish(&self) -> Head {
        self.finish_sum(&self.averaged())
    }

    /// The averaged (not quantized) weights.
    pub fn averaged(&self) -> Vec<f64> {
        let c = self.step as f64;
        self.w.iter().zip(&self.u).map(|(&w, &u)| w as f64 - u as f64 / c).collect()
    }

    /// A head of this one's name, labels and buckets with the weights `avg` (e.g. a sum
    /// of several runs' [`TrainHead::averaged`]: the scale does not matter), quantized
    /// to `i16` so that the largest weight is ±32767.
    pub fn finish_sum(&self, avg: &[f64]) -> Head {
        let max = avg.iter().fold(0f64, |m, &x| m.max(x.abs()));
        let scale = if max > 0.0 { 32767.0 / max } else { 1.0 };
        let weights = avg.iter().map(|&x| (x * scale).round().clamp(-32767.0, 32767.0) as i16).collect();
        Head { name: self.name.clone(), labels: self.labels.clone(), bits: self.bits, weights }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn learns_and_round_trips() {
        let mut t = TrainHead::new("toy", &["A", "B", "C"], 8);
        let data: Vec<(Vec<u64>, usize)> =
            (0..30).map(|i| (vec![(i % 3) as u64 * 0x5555_0000_0000_0000 + 1, u64::MAX], i % 3)).collect();
        for _ in 0..5 {
            for (f, g) in &data {
                t.learn(f, *g, 1);
            }
        }
        let h = t.finish();
        for (f, g) in &data {
            assert_eq!(h.predict(f), *g);
        }
        let m = Model { heads: vec![h] };
        let b = m.to_bytes();
        let m2 = Model::from_bytes(&b).unwrap();
        assert_eq!(m2.heads[0].weights, m.heads[0].weights);
        assert_eq!(m2.heads[0].labels, ["A", "B", "C"]);
        assert!(Model::from_bytes(&b[..b.len() - 1]).is_err());
        assert!(Model::from_bytes(b"garbage").is_err());
    }

    #[test]
    fn varints() {
        let mut out = Vec::new();
        for v in [u64::MAX, 0, 127, 128, 300] {
            put_varint(&mut out, v);
        }
        let mut r = Reader { b: &out, pos: 0 };
        for v in [u64::MAX, 0, 127, 128, 300] {
            assert_eq!(r.varint().unwrap(), v);
        }
        assert_eq!(r.pos, out.len());
        let msg = |r: Result<u64, Error>| r.unwrap_err().to_string();
        assert!(msg(r.varint()).contains("truncated"));
        assert!(msg(Reader { b: &[0x80; 3], pos: 0 }.varint()).contains("truncated"));
        assert!(msg(Reader { b: &[0x80; 11], pos: 0 }.varint()).contains("overflow"));
    }
}
