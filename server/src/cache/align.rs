//! Pairs the nodes of a new version with those of an old one, only to explain *what*
//! changed in a step (whether it misses is decided by key correspondence, not by this).
//!
//! Stages pair by name, unnamed ones in order. Within a pair of stages, nodes pair by the
//! longest common subsequence of fingerprints; nodes left between two anchors pair up in
//! order (an edited step), and any others are new.

use std::collections::HashMap;

use super::analysis::{CacheAnalysis, NodeId};

/// Above this many cells the LCS falls back to pairing in order.
const MAX_LCS_CELLS: usize = 4_000_000;

/// For every new node, the old node it replaces, if any.
pub(crate) fn align(old: &CacheAnalysis, new: &CacheAnalysis) -> Vec<Option<NodeId>> {
    let mut out = vec![None; new.nodes.len()];
    let by_stage = |an: &CacheAnalysis| {
        let mut v: Vec<Vec<NodeId>> = vec![Vec::new(); an.stages.len()];
        for (i, n) in an.nodes.iter().enumerate() {
            if let Some(list) = v.get_mut(n.stage) {
                list.push(i);
            }
        }
        v
    };
    let (old_nodes, new_nodes) = (by_stage(old), by_stage(new));
    let old_named: HashMap<&str, usize> = old
        .stages
        .iter()
        .filter_map(|s| s.name.as_deref().map(|n| (n, s.index)))
        .collect();
    let old_unnamed: Vec<usize> = old
        .stages
        .iter()
        .filter(|s| s.name.is_none())
        .map(|s| s.index)
        .collect();
    let mut unnamed_seen = 0;
    for s in &new.stages {
        let partner = match s.name.as_deref() {
            Some(n) => old_named.get(n).copied(),
            None => {
                unnamed_seen += 1;
                old_unnamed.get(unnamed_seen - 1).copied()
            }
        };
        let Some(p) = partner else { continue };
        pair(
            &old_nodes[p],
            &new_nodes[s.index],
            |o| old.nodes[o].fp,
            |n| new.nodes[n].fp,
            &mut out,
        );
    }
    out
}

fn pair(
    old: &[NodeId],
    new: &[NodeId],
    old_fp: impl Fn(NodeId) -> u64,
    new_fp: impl Fn(NodeId) -> u64,
    out: &mut [Option<NodeId>],
) {
    let a: Vec<u64> = old.iter().map(|&o| old_fp(o)).collect();
    let b: Vec<u64> = new.iter().map(|&n| new_fp(n)).collect();
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..]
        .iter()
        .rev()
        .zip(b[prefix..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    for k in 0..prefix {
        out[new[k]] = Some(old[k]);
    }
    for k in 0..suffix {
        out[new[new.len() - 1 - k]] = Some(old[old.len() - 1 - k]);
    }
    let (am, bm) = (&a[prefix..a.len() - suffix], &b[prefix..b.len() - suffix]);
    let (om, nm) = (
        &old[prefix..old.len() - suffix],
        &new[prefix..new.len() - suffix],
    );
    let anchors = if am.len().saturating_mul(bm.len()) <= MAX_LCS_CELLS {
        lcs(am, bm)
    } else {
        Vec::new()
    };
    // Pair anchors, and the gaps between them in order.
    let (mut i, mut j) = (0, 0);
    for (ai, bj) in anchors
        .into_iter()
        .chain(std::iter::once((am.len(), bm.len())))
    {
        let gap = (ai - i).min(bj - j);
        for k in 0..gap {
            out[nm[j + k]] = Some(om[i + k]);
        }
        if ai < am.len() {
            out[nm[bj]] = Some(om[ai]);
        }
        i = ai + 1;
        j = bj + 1;
    }
}

/// Index pairs of a longest common subsequence.
fn lcs(a: &[u64], b: &[u64]) -> Vec<(usize, usize)> {
    let (n, m) = (a.len(), b.len());
    if n == 0 || m == 0 {
        return Vec::new();
    }
    let mut table = vec![0u32; (n + 1) * (m + 1)];
    let at = |i: usize, j: usize| i * (m + 1) + j;
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            table[at(i, j)] = if a[i] == b[j] {
                table[at(i + 1, j + 1)] + 1
            } else {
                table[at(i + 1, j)].max(table[at(i, j + 1)])
            };
        }
    }
    let mut out = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < n && j < m {
        if a[i] == b[j] {
            out.push((i, j));
            i += 1;
            j += 1;
        } else if table[at(i + 1, j)] >= table[at(i, j + 1)] {
            i += 1;
        } else {
            j += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lcs_pairs() {
        assert_eq!(lcs(&[1, 2, 3, 4], &[1, 3, 4]), vec![(0, 0), (2, 1), (3, 2)]);
        assert!(lcs(&[], &[1]).is_empty());
    }

    #[test]
    fn gaps_pair_in_order() {
        let old = [10, 11, 12];
        let new = [20, 21, 22, 23];
        let mut out = vec![None; 30];
        // old fps: 1 9 3 ; new fps: 1 8 7 3 → 21 replaces 11, 22 is new.
        let of = |o: NodeId| [1u64, 9, 3][o - 10];
        let nf = |n: NodeId| [1u64, 8, 7, 3][n - 20];
        pair(&old, &new, of, nf, &mut out);
        assert_eq!(out[20], Some(10));
        assert_eq!(out[21], Some(11));
        assert_eq!(out[22], None);
        assert_eq!(out[23], Some(12));
    }
}
