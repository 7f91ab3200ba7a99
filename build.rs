//! Compiles Terraform's plugin protocol 6 and go-plugin's service definitions with
//! protox (a pure-Rust protobuf compiler), so a fresh machine needs no `protoc`.

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let files = [
        "proto/tfplugin6.proto",
        "proto/grpc_controller.proto",
        "proto/grpc_stdio.proto",
        "proto/grpc_broker.proto",
    ];
    for f in files {
        println!("cargo:rerun-if-changed={f}");
    }
    let descriptors = protox::compile(files, ["proto"])?;
    tonic_prost_build::configure()
        // Every RPC we do not implement answers `Unimplemented` by default.
        .generate_default_stubs(true)
        // The client half is used by the tests and the benchmark harness only.
        .build_client(true)
        .build_transport(false)
        .compile_fds(descriptors)?;
    Ok(())
}
