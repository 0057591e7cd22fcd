/work/main/rust/target/debug/deps/owner_model-da5e090709b347ba.d: tests/owner_model.rs

/work/main/rust/target/debug/deps/owner_model-da5e090709b347ba: tests/owner_model.rs

tests/owner_model.rs:
