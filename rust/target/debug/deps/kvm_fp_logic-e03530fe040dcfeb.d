/work/main/rust/target/debug/deps/kvm_fp_logic-e03530fe040dcfeb.d: lib.rs owner.rs

/work/main/rust/target/debug/deps/libkvm_fp_logic-e03530fe040dcfeb.rlib: lib.rs owner.rs

/work/main/rust/target/debug/deps/libkvm_fp_logic-e03530fe040dcfeb.rmeta: lib.rs owner.rs

lib.rs:
owner.rs:
