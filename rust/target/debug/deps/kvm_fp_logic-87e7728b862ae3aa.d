/work/main/rust/target/debug/deps/kvm_fp_logic-87e7728b862ae3aa.d: lib.rs owner.rs

/work/main/rust/target/debug/deps/kvm_fp_logic-87e7728b862ae3aa: lib.rs owner.rs

lib.rs:
owner.rs:
