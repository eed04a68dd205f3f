use lading_parser::*;
fn main() {
    let f = std::env::args().nth(1).unwrap();
    let mode = std::env::args().nth(2).unwrap();
    let bytes = std::fs::read(&f).unwrap();
    let mut bodies = Vec::new();
    for p in Parser::new(&bytes, Features::default()) {
        if let Ok(Payload::CodeSection(r)) = p {
            for b in r {
                bodies.push(b.unwrap());
            }
        }
    }
    let t = std::time::Instant::now();
    let mut n = 0u64;
    for _ in 0..10 {
        match mode.as_str() {
            "seq" => {
                for b in &bodies {
                    n += b.check().unwrap().instructions;
                }
            }
            _ => n += check_bodies(&bodies).unwrap().instructions,
        }
    }
    println!("{mode} {n} {:?}", t.elapsed() / 10);
}
