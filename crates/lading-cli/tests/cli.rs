//! Drives the real `lading` binary: every subcommand, exit status and
//! output format, on `examples/hello.wasm` and modules written here.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

#[path = "../../lading/tests/crafted/mod.rs"]
mod crafted;

use crafted::{Expected, Offset};

/// Runs `lading ARGS` in the workspace root.
fn lading(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_lading"))
        .args(args)
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
        .output()
        .expect("the lading binary runs")
}

fn stdout(output: &Output) -> &str {
    std::str::from_utf8(&output.stdout).expect("UTF-8 output")
}

fn stderr(output: &Output) -> &str {
    std::str::from_utf8(&output.stderr).expect("UTF-8 output")
}

fn status(output: &Output) -> i32 {
    output.status.code().expect("exited, not killed")
}

/// Writes `bytes` to a file of this test's own and returns its path.
fn temp_module(name: &str, bytes: &[u8]) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("lading-cli-tests");
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("temp file written");
    path
}

fn path_str(path: &Path) -> &str {
    path.to_str().expect("UTF-8 temp path")
}

/// The header and the version: an empty module.
const EMPTY: &[u8] = b"\0asm\x01\0\0\0";

/// `(module (func (result v128) v128.const i32x4 1 2 3 4))`.
fn simd_module() -> Vec<u8> {
    let mut m = EMPTY.to_vec();
    // type section: 1 type, func () -> v128
    m.extend([0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b]);
    // function section: 1 function of type 0
    m.extend([0x03, 0x02, 0x01, 0x00]);
    // code section: size 22, 1 body of size 20: no locals,
    // v128.const (fd 0c) 16 bytes, end
    m.extend([0x0a, 0x16, 0x01, 0x14, 0x00, 0xfd, 0x0c]);
    m.extend([1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4, 0, 0, 0]);
    m.push(0x0b);
    m
}

#[test]
fn version_and_help() {
    let out = lading(&["--version"]);
    assert_eq!(status(&out), 0);
    assert_eq!(
        stdout(&out),
        concat!("lading ", env!("CARGO_PKG_VERSION"), "\n")
    );
    for sub in ["check", "inspect", "dump", "features"] {
        let out = lading(&[sub, "--help"]);
        assert_eq!(status(&out), 0, "{sub} --help");
        assert!(
            stdout(&out).contains(&format!("Usage: lading {sub}")),
            "{sub} --help: {}",
            stdout(&out)
        );
    }
    let out = lading(&["--help"]);
    assert_eq!(status(&out), 0);
    // No subcommand, an unknown one: usage errors.
    assert_eq!(status(&lading(&[])), 2);
    let out = lading(&["frobnicate"]);
    assert_eq!(status(&out), 2);
    assert!(stdout(&out).is_empty());
}

#[test]
fn check_ok() {
    let out = lading(&["check", "examples/hello.wasm"]);
    assert_eq!(stdout(&out), "examples/hello.wasm: ok\n");
    assert_eq!(status(&out), 0);
    assert!(stderr(&out).is_empty());
    // Serial, read, quiet: the same module loads the same way.
    let out = lading(&["check", "--threads", "0", "--read", "examples/hello.wasm"]);
    assert_eq!(stdout(&out), "examples/hello.wasm: ok\n");
    assert_eq!(status(&out), 0);
    let out = lading(&["check", "--quiet", "examples/hello.wasm"]);
    assert_eq!(stdout(&out), "");
    assert_eq!(status(&out), 0);
}

/// A pipe has no size before its end: `/dev/stdin` is read whole, and a
/// stream longer than the module size limit stops one byte past it.
#[cfg(target_os = "linux")]
#[test]
fn check_reads_a_pipe() {
    use std::io::Write;
    use std::process::Stdio;
    let bytes = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/hello.wasm"
    ))
    .expect("the example module");
    let run = |args: &[&str]| {
        let mut child = Command::new(env!("CARGO_BIN_EXE_lading"))
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the lading binary runs");
        let mut stdin = child.stdin.take().expect("a pipe");
        // lading may stop reading (and close the pipe) at the limit.
        let _ = stdin.write_all(&bytes);
        drop(stdin);
        child.wait_with_output().expect("lading exits")
    };
    let out = run(&["check", "--time", "/dev/stdin"]);
    assert_eq!(stdout(&out), "/dev/stdin: ok\n");
    assert_eq!(status(&out), 0);
    assert!(
        stderr(&out).starts_with("/dev/stdin: read "),
        "{}",
        stderr(&out)
    );
    let limit = bytes.len() - 1;
    let out = run(&[
        "check",
        "--limit",
        &format!("module-size={limit}"),
        "/dev/stdin",
    ]);
    assert_eq!(
        stdout(&out),
        format!(
            "/dev/stdin: error: module size of {} exceeds the limit of {limit}\n",
            bytes.len()
        )
    );
    assert_eq!(status(&out), 1);
}

#[test]
fn check_malformed_goes_on_in_order() {
    // Version 2: "unknown binary version" at offset 4.
    let bad = temp_module("version2.wasm", b"\0asm\x02\0\0\0");
    let bad = path_str(&bad);
    let out = lading(&["check", bad, "examples/hello.wasm"]);
    assert_eq!(
        stdout(&out),
        format!("{bad}: error at offset 4: unknown binary version\nexamples/hello.wasm: ok\n")
    );
    assert_eq!(status(&out), 1);
    // --quiet keeps the failures only.
    let out = lading(&["check", "-q", "examples/hello.wasm", bad]);
    assert_eq!(
        stdout(&out),
        format!("{bad}: error at offset 4: unknown binary version\n")
    );
    assert_eq!(status(&out), 1);
    // A truncated body: the message and offset are the library's.
    let simd = simd_module();
    let cut = &simd[..simd.len() - 3];
    let cut_path = temp_module("truncated.wasm", cut);
    let error = match lading::load(cut.to_vec()) {
        Err(lading::Error::Malformed(e)) => e,
        other => panic!("expected a malformed module, got {other:?}"),
    };
    let out = lading(&["check", path_str(&cut_path)]);
    assert_eq!(
        stdout(&out),
        format!(
            "{}: error at offset {}: {}\n",
            path_str(&cut_path),
            error.offset(),
            error.message()
        )
    );
    assert_eq!(status(&out), 1);
}

#[test]
fn check_unreadable_is_status_2() {
    let out = lading(&["check", "no/such/file.wasm", "examples/hello.wasm"]);
    let text = stdout(&out);
    assert!(
        text.starts_with("no/such/file.wasm: error: cannot read: "),
        "{text}"
    );
    assert!(text.ends_with("\nexamples/hello.wasm: ok\n"), "{text}");
    assert_eq!(text.lines().count(), 2);
    assert_eq!(status(&out), 2);
    // Unreadable beats malformed.
    let bad = temp_module("magic.wasm", b"\0asn\x01\0\0\0");
    let out = lading(&["check", path_str(&bad), "no/such/file.wasm"]);
    assert_eq!(status(&out), 2);
    assert!(stdout(&out).starts_with(&format!(
        "{}: error at offset 0: magic header not detected\n",
        path_str(&bad)
    )));
}

#[test]
fn check_disable() {
    let simd = temp_module("simd.wasm", &simd_module());
    let simd = path_str(&simd);
    let out = lading(&["check", simd]);
    assert_eq!(stdout(&out), format!("{simd}: ok\n"));
    // The v128 result type at offset 14 needs SIMD.
    let out = lading(&["check", "--disable", "threads,simd", simd]);
    assert_eq!(
        stdout(&out),
        format!("{simd}: error at offset 14: simd support is not enabled\n")
    );
    assert_eq!(status(&out), 1);
    // An unknown name is a usage error: nothing on stdout.
    let out = lading(&["check", "--disable", "simd,warp-drive", simd]);
    assert_eq!(status(&out), 2);
    assert!(stdout(&out).is_empty());
    assert!(
        stderr(&out).contains("unknown proposal"),
        "{}",
        stderr(&out)
    );
    // Missing FILE, a bad thread count: usage errors.
    assert_eq!(status(&lading(&["check"])), 2);
    assert_eq!(status(&lading(&["check", "--threads", "x", simd])), 2);
}

const HELLO_JSON: &str = concat!(
    r#"{"file":"examples/hello.wasm","size":280,"rec_groups":4,"types":4,"#,
    r#""imports":{"func":1,"table":0,"memory":0,"global":0,"tag":0},"#,
    r#""functions":3,"tables":1,"memories":1,"globals":1,"tags":0,"exports":4,"#,
    r#""start":null,"elements":1,"data":1,"data_count":null,"#,
    r#""code":{"bodies":3,"locals":2,"operators":31},"custom_sections":["name"]}"#,
    "\n"
);

#[test]
fn inspect_json() {
    // examples/hello.wat: 4 types, 1 imported function, 3 functions, a
    // table, a memory, a global, 4 exports, 1 element and 1 data segment;
    // locals $a and $b; instructions, each `end` included, counted by
    // hand: greet 8, fib 21, calls 2.
    let out = lading(&["inspect", "--json", "examples/hello.wasm"]);
    assert_eq!(stdout(&out), HELLO_JSON);
    assert_eq!(status(&out), 0);
    // The empty module: nulls and zeros.
    let empty = temp_module("empty.wasm", EMPTY);
    let out = lading(&["inspect", "--json", path_str(&empty)]);
    let expected = format!(
        concat!(
            r#"{{"file":{:?},"size":8,"rec_groups":0,"types":0,"#,
            r#""imports":{{"func":0,"table":0,"memory":0,"global":0,"tag":0}},"#,
            r#""functions":0,"tables":0,"memories":0,"globals":0,"tags":0,"exports":0,"#,
            r#""start":null,"elements":0,"data":0,"data_count":null,"#,
            r#""code":{{"bodies":0,"locals":0,"operators":0}},"custom_sections":[]}}"#,
            "\n"
        ),
        path_str(&empty)
    );
    assert_eq!(stdout(&out), expected);
}

#[test]
fn inspect_json_errors() {
    let bad = temp_module("json-bad.wasm", b"\0asm\x01\0\0\0\x0e\x00");
    let out = lading(&["inspect", "--json", path_str(&bad)]);
    assert_eq!(
        stdout(&out),
        format!(
            "{{\"file\":{:?},\"error\":\"malformed section id\",\"offset\":8}}\n",
            path_str(&bad)
        )
    );
    assert_eq!(status(&out), 1);
    let out = lading(&["inspect", "--json", "no/such/file.wasm"]);
    let text = stdout(&out);
    assert!(
        text.starts_with(r#"{"file":"no/such/file.wasm","error":"cannot read: "#),
        "{text}"
    );
    assert!(
        text.ends_with("\"}\n") && text.lines().count() == 1,
        "{text}"
    );
    assert_eq!(status(&out), 2);
    // A path that needs escaping stays one valid line of JSON.
    let odd = temp_module("quote\"and\\back.wasm", b"\0asm");
    let out = lading(&["inspect", "--json", path_str(&odd)]);
    let value: serde_json::Value = serde_json::from_str(stdout(&out)).expect("valid JSON");
    assert_eq!(value["file"], path_str(&odd));
    assert_eq!(value["error"], "unexpected end");
    assert_eq!(value["offset"], 4);
}

#[test]
fn inspect_report() {
    let out = lading(&["inspect", "examples/hello.wasm"]);
    assert_eq!(status(&out), 0);
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "examples/hello.wasm: WebAssembly module, version 1, 280 bytes"
    );
    assert!(lines.contains(&"Sections (11):"));
    // id, name, offset of the contents, size, items.
    assert!(lines.contains(&"  10  code              112          62  3"));
    assert!(lines.contains(&"   0  custom            198          82  \"name\""));
    assert!(lines.contains(&"  operators        31"));
    assert!(lines.contains(&"  imports          1 (func 1, table 0, memory 0, global 0, tag 0)"));
    // Errors use check's line format, on stderr.
    let bad = temp_module("report-bad.wasm", b"\0asm\x02\0\0\0");
    let out = lading(&["inspect", path_str(&bad)]);
    assert_eq!(status(&out), 1);
    assert!(stdout(&out).is_empty());
    assert_eq!(
        stderr(&out),
        format!(
            "{}: error at offset 4: unknown binary version\n",
            path_str(&bad)
        )
    );
}

#[test]
fn dump_one_function() {
    let out = lading(&["dump", "--func", "3", "examples/hello.wasm"]);
    assert_eq!(
        stdout(&out),
        "func 3 (type 3)\n  171: global.get 0\n  173: end\n"
    );
    assert_eq!(status(&out), 0);
    // Function 0 is the import: no body, a usage error.
    let out = lading(&["dump", "--func", "0", "examples/hello.wasm"]);
    assert_eq!(status(&out), 2);
    assert!(stdout(&out).is_empty());
    assert!(
        stderr(&out).contains("function 0 is imported"),
        "{}",
        stderr(&out)
    );
    let out = lading(&["dump", "--func", "4", "examples/hello.wasm"]);
    assert_eq!(status(&out), 2);
    assert!(stderr(&out).contains("no function 4"), "{}", stderr(&out));
    // SIMD constants print as four i32 lanes. Offsets: header 0..8, type
    // section 8..15, function section 15..19, code section id 19, size 20,
    // count 21, body size 22, no locals 23, v128.const 24, end 42.
    let simd = temp_module("dump-simd.wasm", &simd_module());
    let out = lading(&["dump", path_str(&simd)]);
    assert_eq!(
        stdout(&out),
        "func 0 (type 0)\n  24: v128.const i32x4 0x00000001 0x00000002 0x00000003 0x00000004\n  42: end\n"
    );
    // Malformed: check's line format on stderr, status 1.
    let bad = temp_module("dump-bad.wasm", b"\0asm\x02\0\0\0");
    let out = lading(&["dump", path_str(&bad)]);
    assert_eq!(status(&out), 1);
    assert!(stderr(&out).ends_with("error at offset 4: unknown binary version\n"));
}

#[test]
fn features_lists_every_proposal() {
    let out = lading(&["features"]);
    assert_eq!(status(&out), 0);
    let lines: Vec<&str> = stdout(&out).lines().collect();
    assert_eq!(lines.len(), lading::Proposal::ALL.len());
    for (line, proposal) in lines.iter().zip(lading::Proposal::ALL) {
        let fields: Vec<&str> = line.split_whitespace().collect();
        let default = lading::Features::default().has(proposal);
        assert_eq!(
            fields,
            [proposal.name(), if default { "on" } else { "off" }]
        );
    }
    assert!(lines[0].starts_with("mutable-global "));
}

#[test]
fn check_limit_option() {
    let out = lading(&["check", "--limit", "functions=2", "examples/hello.wasm"]);
    assert_eq!(status(&out), 1);
    assert_eq!(
        stdout(&out),
        "examples/hello.wasm: error at offset 43: function count of 3 exceeds the limit of 2\n"
    );
    let out = lading(&["check", "--limit", "functions=3", "examples/hello.wasm"]);
    assert_eq!(
        (status(&out), stdout(&out)),
        (0, "examples/hello.wasm: ok\n")
    );
    let out = lading(&["check", "--limit", "no-such-limit=1", "examples/hello.wasm"]);
    assert_eq!(status(&out), 2);
    assert!(stderr(&out).contains("unknown limit"), "{}", stderr(&out));
}

/// Every crafted hostile module of the library's test (`crafted`, shared),
/// written to a file and checked with the same limits as `--limit`
/// options: `lading check` prints one line and exits 1 for each that fails
/// (0 for each that loads), never killed by a signal, never a panic's 101.
/// A malformed module's line holds the parser's error (`check_module`);
/// a limit's, what the case expects.
#[test]
fn check_every_crafted_file() {
    let mut files = 0;
    let mut failing = 0;
    for group in crafted::GROUPS {
        for case in group() {
            let path = temp_module(&format!("crafted-{}.wasm", case.file_stem()), &case.bytes);
            let shown = path_str(&path);
            let limits: Vec<String> = case
                .limits
                .iter()
                .map(|(name, value)| format!("{name}={value}"))
                .collect();
            let mut args = vec!["check"];
            for limit in &limits {
                args.extend(["--limit", limit.as_str()]);
            }
            args.push(shown);
            let out = lading(&args);
            let name = &case.name;
            let code = out.status.code();
            assert!(
                code.is_some(),
                "{name}: killed by a signal: {:?}",
                out.status
            );
            assert!(stderr(&out).is_empty(), "{name}: {}", stderr(&out));
            let text = stdout(&out);
            assert_eq!(text.lines().count(), 1, "{name}: {text}");
            let line = text.trim_end_matches('\n');
            match case.expected {
                Expected::Loads => {
                    assert_eq!(code, Some(0), "{name}: {text}");
                    assert_eq!(line, format!("{shown}: ok"));
                }
                Expected::Limit {
                    what,
                    value,
                    offset,
                } => {
                    assert_eq!(code, Some(1), "{name}: {text}");
                    let at = match offset {
                        Offset::None => "error".to_string(),
                        Offset::At(at) => format!("error at offset {at}"),
                        Offset::Unchecked => "error at offset ".to_string(),
                    };
                    assert!(
                        line.starts_with(&format!("{shown}: {at}")),
                        "{name}: {line}"
                    );
                    let message = format!(": {what} of {value} exceeds the limit of ");
                    assert!(line.contains(&message), "{name}: {line}");
                }
                Expected::Malformed { .. } => {
                    assert_eq!(code, Some(1), "{name}: {text}");
                    let e = lading::parser::check_module(&case.bytes, lading::Features::default())
                        .expect_err("malformed");
                    let expected =
                        format!("{shown}: error at offset {}: {}", e.offset(), e.message());
                    assert_eq!(line, expected, "{name}");
                }
            }
            failing += usize::from(code == Some(1));
            files += 1;
            std::fs::remove_file(&path).expect("temp file removed");
        }
    }
    println!("lading check on {files} crafted files: {failing} exit 1, the others 0");
}

/// The size of `file` (relative to the workspace root, where `lading`
/// runs), 0 when there is no such file.
fn file_size(file: &str) -> u64 {
    let root = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."));
    std::fs::metadata(root.join(file)).map_or(0, |m| m.len())
}

/// One `--time` line parsed: the first word (`read` or `map`), the read,
/// sections, bodies and total times in microseconds, and the MB/s.
struct TimeLine {
    source: String,
    micros: [u64; 4],
    rate: f64,
}

/// Parses `FILE: read R ms, sections S ms, bodies B ms, total T ms, X MB/s`
/// for `file`, as `lading help check` documents it.
fn parse_time_line(line: &str, file: &str) -> TimeLine {
    let rest = line
        .strip_prefix(&format!("{file}: "))
        .unwrap_or_else(|| panic!("{line:?} does not start with {file:?}"));
    let parts: Vec<&str> = rest.split(", ").collect();
    assert_eq!(parts.len(), 5, "{line:?}");
    let mut micros = [0u64; 4];
    let mut source = String::new();
    for (i, (part, name)) in parts
        .iter()
        .zip(["", "sections", "bodies", "total"])
        .enumerate()
    {
        let words: Vec<&str> = part.split(' ').collect();
        assert_eq!(words.len(), 3, "{line:?}");
        assert_eq!(words[2], "ms", "{line:?}");
        if i == 0 {
            source = words[0].to_string();
        } else {
            assert_eq!(words[0], name, "{line:?}");
        }
        // Milliseconds with exactly three decimals: whole microseconds.
        let (whole, frac) = words[1].split_once('.').expect("three decimals");
        assert_eq!(frac.len(), 3, "{line:?}");
        micros[i] = whole.parse::<u64>().expect("ms") * 1000 + frac.parse::<u64>().expect("µs");
    }
    let rate = parts[4]
        .strip_suffix(" MB/s")
        .unwrap_or_else(|| panic!("{line:?}: no MB/s"))
        .parse()
        .expect("MB/s");
    TimeLine {
        source,
        micros,
        rate,
    }
}

/// Checks the invariants of a `--time` line of a file of `size` bytes:
/// the phases fit in the total, and the rate is the size over the total
/// (within the rounding of both printed numbers).
fn check_time_line(t: &TimeLine, size: u64, line: &str) {
    let [read, sections, bodies, total] = t.micros;
    assert!(read + sections + bodies <= total, "{line}");
    let mb = size as f64 / 1e6;
    let total_s = total as f64 / 1e6;
    assert!((t.rate - 0.05) * total_s <= mb, "{line}: {size} bytes");
    assert!(
        mb <= (t.rate + 0.05) * (total_s + 1e-6),
        "{line}: {size} bytes"
    );
}

#[test]
fn check_time() {
    let hello = "examples/hello.wasm";
    let size = file_size(hello);
    // A regular file is mapped unless `--read` asks for a read.
    for (extra, source) in [
        (&[][..], "map"),
        (&["--read"][..], "read"),
        (&["--threads", "0"][..], "map"),
        // Three bodies on up to two threads.
        (&["--threads", "2", "--read"][..], "read"),
    ] {
        let mut args = vec!["check"];
        args.extend(extra);
        args.push(hello);
        let plain = lading(&args);
        args.insert(1, "--time");
        let out = lading(&args);
        // stdout and the status are those of the run without --time.
        assert_eq!(stdout(&out), stdout(&plain), "{args:?}");
        assert_eq!(stdout(&out), "examples/hello.wasm: ok\n");
        assert_eq!(status(&out), 0);
        let err = stderr(&out);
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
        let line = err.lines().next().unwrap_or_default();
        let t = parse_time_line(line, hello);
        assert_eq!(t.source, source, "{line}");
        check_time_line(&t, size, line);
        // Decoding sections takes some time: a clock that never ran would
        // print 0.000 for the total too.
        assert!(t.micros[3] > 0, "{line}");
    }
}

#[test]
fn check_time_one_line_per_file_in_order() {
    let bad = temp_module("time-version2.wasm", b"\0asm\x02\0\0\0");
    let bad = path_str(&bad);
    let files = [bad, "examples/hello.wasm", "no/such/file.wasm"];
    let mut args = vec!["check", "--time", "--quiet"];
    args.extend(files);
    let out = lading(&args);
    // The malformed and the unreadable files, as without --time.
    let mut plain = args.clone();
    plain.remove(1);
    assert_eq!(stdout(&out), stdout(&lading(&plain)));
    assert_eq!(status(&out), 2);
    let lines: Vec<&str> = stderr(&out).lines().collect();
    assert_eq!(lines.len(), 3, "{}", stderr(&out));
    for (line, file) in lines.iter().zip(files) {
        let t = parse_time_line(line, file);
        check_time_line(&t, file_size(file), line);
    }
    // The unreadable file: neither a section pass nor a body check ran.
    let t = parse_time_line(lines[2], files[2]);
    assert_eq!(t.micros[1..3], [0, 0], "{}", lines[2]);
    assert_eq!(t.rate, 0.0, "{}", lines[2]);
}
