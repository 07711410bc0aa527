//! The Monte Carlo laws: no spread reproduces the plan, the seed fixes the result
//! whatever the threads, and draws have the distributions' means.

use super::*;
use crate::schedule::schedule;
use crate::schedule::tests::project;

const NETWORK: &str = "runbook: mc
timezone: Europe/London
start: 2027-01-04T09:00
go_live: 2027-01-15T17:00
calendars:
  office: { hours: 09:00-17:00, days: mon-fri }
default_calendar: office
tasks:
  - { id: a, name: A, owner: o, estimate: { best: 6h, likely: 1d, worst: 2d } }
  - { id: b, name: B, owner: o, after: [a], estimate: { best: 1d, likely: 2d, worst: 5d, distribution: triangular } }
  - { id: c, name: C, owner: o, duration: 1d, after: [a] }
  - { id: d, name: D, owner: o, duration: 4h, after: [b, c], calendar: 24x7 }
  - { id: e, name: E, owner: o, duration: 3h, after: [{ task: d, type: SS, lag: 1h elapsed }] }
  - { id: live, name: Live, owner: o, milestone: true, go_live: true, after: [d, e] }
";

fn settings(iterations: usize) -> Settings {
    Settings {
        iterations,
        seed: 42,
    }
}

fn run_on(project: &Project, graph: &TaskGraph, iterations: usize) -> MonteCarlo {
    let durations: Vec<i64> = project.tasks.iter().map(|t| t.duration).collect();
    run(
        project,
        graph,
        Inputs::of(project, &durations, None),
        None,
        settings(iterations),
        &|_| {},
    )
    .unwrap()
}

#[test]
fn equal_three_points_reproduce_the_plan() {
    // Estimates removed and no runbook-wide spread: every draw is the planned duration.
    let (mut p, g) = project(NETWORK);
    for t in &mut p.tasks {
        t.estimate = None;
    }
    let plan = schedule(&p, &g, None).unwrap();
    let mc = run_on(&p, &g, 200);
    assert_eq!(mc.ready, vec![(plan.ready, 200)]);
    for (t, d) in plan.tasks.iter().enumerate() {
        let on_chain = crate::critical::critical_path(
            &p,
            &plan,
            &Inputs::of(
                &p,
                &p.tasks.iter().map(|t| t.duration).collect::<Vec<_>>(),
                None,
            ),
        )
        .chains
        .iter()
        .any(|c| c.contains(&t));
        let expected = if on_chain { 1.0 } else { 0.0 };
        assert_eq!(
            mc.criticality[t], expected,
            "{} critical {}",
            p.tasks[t].id, d.critical
        );
    }
}

#[test]
fn the_seed_fixes_the_result_whatever_the_threads() {
    let (p, g) = project(NETWORK);
    let one = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap()
        .install(|| run_on(&p, &g, 1000));
    let two = rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .build()
        .unwrap()
        .install(|| run_on(&p, &g, 1000));
    assert_eq!(one, two);
    assert!(
        one.earliest() != one.latest(),
        "the estimates spread the finish"
    );
    let other = Settings {
        seed: 43,
        ..settings(1000)
    };
    let durations: Vec<i64> = p.tasks.iter().map(|t| t.duration).collect();
    let three = run(
        &p,
        &g,
        Inputs::of(&p, &durations, None),
        None,
        other,
        &|_| {},
    )
    .unwrap();
    assert_ne!(one.ready, three.ready);
}

#[test]
fn no_iteration_finishes_before_the_best_case_plan() {
    // With every task at its best, the plan is ready at some instant; no draw beats it.
    let (mut p, g) = project(NETWORK);
    for t in &mut p.tasks {
        if let Some(e) = t.estimate {
            t.duration = e.best;
        }
        t.estimate = None;
    }
    let best = schedule(&p, &g, None).unwrap().ready;
    let (p, g) = project(NETWORK);
    let mc = run_on(&p, &g, 2000);
    assert!(mc.earliest().unwrap() >= best);
    assert!(mc.percentile(10.0) <= mc.percentile(50.0));
    assert!(mc.percentile(50.0) <= mc.percentile(95.0));
    let p_go_live = mc.probability_by(p.go_live);
    assert!((0.0..=1.0).contains(&p_go_live));
    // `a` precedes everything: on the driving chain in every iteration.
    assert_eq!(mc.criticality[p.task_by_id("a").unwrap()], 1.0);
}

fn sample_mean(sampler: &Sampler, t: usize, n: usize) -> f64 {
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    (0..n)
        .map(|_| sampler.duration(t, rng.random::<f64>()) as f64)
        .sum::<f64>()
        / n as f64
}

#[test]
fn draws_have_the_analytic_means() {
    // best 6h, likely 8h (1d on the office calendar), worst 16h (2d).
    let (p, _) = project(NETWORK);
    let durations: Vec<i64> = p.tasks.iter().map(|t| t.duration).collect();
    let sampler = Sampler::new(&p, &durations);
    let a = p.task_by_id("a").unwrap();
    // PERT mean (best + 4 likely + worst) / 6 = (360 + 1920 + 960) / 6 = 540 minutes.
    let mean = sample_mean(&sampler, a, 400_000);
    assert!((mean - 540.0).abs() < 540.0 * 0.003, "PERT mean {mean}");
    // Triangular mean (best + likely + worst) / 3 = (480 + 960 + 2400) / 3 = 1280.
    let b = p.task_by_id("b").unwrap();
    let mean = sample_mean(&sampler, b, 400_000);
    assert!(
        (mean - 1280.0).abs() < 1280.0 * 0.003,
        "triangular mean {mean}"
    );
}

#[test]
fn pert_tables_match_the_beta_mean_and_spread() {
    // Beta(a, b) has mean a / (a + b) and variance ab / ((a+b)^2 (a+b+1)).
    for (a, b) in [(1.0, 5.0), (3.0, 3.0), (1.8, 4.2), (5.0, 1.0)] {
        let table = beta_table(a, b);
        let n = 200_000;
        let mut rng = ChaCha8Rng::seed_from_u64(11);
        let xs: Vec<f64> = (0..n)
            .map(|_| {
                let u: f64 = rng.random();
                let pos = u * TABLE_POINTS as f64;
                let i = (pos as usize).min(TABLE_POINTS - 1);
                f64::from(table[i])
                    + (f64::from(table[i + 1]) - f64::from(table[i])) * (pos - i as f64)
            })
            .collect();
        let mean = xs.iter().sum::<f64>() / f64::from(n);
        let var = xs.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / f64::from(n);
        let (m, v) = (a / (a + b), a * b / ((a + b) * (a + b) * (a + b + 1.0)));
        assert!((mean - m).abs() < 0.003, "Beta({a},{b}) mean {mean} vs {m}");
        assert!(
            (var - v).abs() < v * 0.02,
            "Beta({a},{b}) variance {var} vs {v}"
        );
    }
}

#[test]
fn readiness_is_kept_as_counts_that_add_up_to_the_iterations() {
    let (p, g) = project(NETWORK);
    let mc = run_on(&p, &g, 5000);
    let counted: u64 = mc.ready.iter().map(|&(_, c)| c).sum();
    assert_eq!(counted, 5000);
    // One entry per distinct instant, in order: never more than the minutes between the
    // earliest and the latest, whatever the number of iterations.
    assert!(mc.ready.windows(2).all(|w| w[0].0 < w[1].0));
    let span = mc.latest().unwrap().0 - mc.earliest().unwrap().0 + 1;
    assert!(mc.ready.len() as i64 <= span.min(5000));
    let more = run_on(&p, &g, 20_000);
    assert!(
        more.ready.len() < 4 * mc.ready.len(),
        "{} then {}",
        mc.ready.len(),
        more.ready.len()
    );
    // Percentiles and probabilities read the counts as they read the samples: the
    // median is the instant where the running count first reaches half.
    let mut seen = 0;
    let median = mc
        .ready
        .iter()
        .find(|&&(_, c)| {
            seen += c;
            seen >= 2500
        })
        .unwrap()
        .0;
    assert_eq!(mc.percentile(50.0), median);
    assert_eq!(mc.probability_by(mc.latest().unwrap()), 1.0);
    let before_first = Moment(mc.earliest().unwrap().0 - 1);
    assert_eq!(mc.probability_by(before_first), 0.0);
    let hist: usize = mc.histogram(10).iter().map(|b| b.1).sum();
    assert_eq!(hist, 5000);
}
