;; A small module authored for lading's examples: an import, a memory with a
;; data segment, a table, a global, a few functions and their exports.
(module $hello
  (type $log (func (param i32 i32)))
  (import "env" "log" (func $log (type $log)))
  (memory (export "memory") 1)
  (data (i32.const 16) "Hello, lading!")
  (global $calls (mut i32) (i32.const 0))
  (table 2 funcref)
  (elem (i32.const 0) $greet $fib)

  ;; Logs the greeting stored at offset 16.
  (func $greet (export "greet")
    (global.set $calls (i32.add (global.get $calls) (i32.const 1)))
    (call $log (i32.const 16) (i32.const 14)))

  ;; The n-th Fibonacci number, iteratively.
  (func $fib (export "fib") (param $n i32) (result i64)
    (local $a i64) (local $b i64)
    (local.set $b (i64.const 1))
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $b (i64.add (local.get $a) (local.tee $a (local.get $b))))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next)))
    (local.get $a))

  (func (export "calls") (result i32) (global.get $calls)))
