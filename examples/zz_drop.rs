use std::time::Instant;
fn main() {
    let path = std::env::args().nth(1).unwrap();
    let mut sources = cutover::source::Sources::default();
    let t = Instant::now();
    let loaded = cutover::load::load_runbook(std::path::Path::new(&path), &mut sources, &cutover::load::Limits::default()).unwrap();
    let t1 = t.elapsed();
    let rb = loaded.runbook.unwrap();
    let t = Instant::now();
    let v = cutover::validate::validate(&rb);
    let t2 = t.elapsed();
    let t = Instant::now();
    drop(rb);
    let t3 = t.elapsed();
    let t = Instant::now();
    drop(v);
    let t4 = t.elapsed();
    let t = Instant::now();
    drop(sources);
    eprintln!("load {t1:?} validate {t2:?} drop runbook {t3:?} drop validated {t4:?} drop sources {:?}", t.elapsed());
}
