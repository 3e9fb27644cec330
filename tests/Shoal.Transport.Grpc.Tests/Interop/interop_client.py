"""A gRPC client written with python3-grpcio (no generated code) that calls a Shoal host.

usage: interop_client.py HOST:PORT CASE
CASE is one of unary, server_streaming, client_streaming, bidi, deadline, fail, health,
reflection. Prints one JSON object on stdout: the call's result, or {"code": ..., "details": ...}
when the call ends with a non-OK status. Exits 0 when the case ran, 2 on bad usage.
"""
import json
import sys

import grpc

import shoal_messages as m

TIMEOUT = 20.0


def unary(channel):
    call = channel.unary_unary("/hello.Greeter/SayHello", m.serializer(m.HelloRequest), m.deserializer(m.HelloReply))
    return {"message": call(m.HelloRequest(name="python"), timeout=TIMEOUT).message}


def server_streaming(channel):
    call = channel.unary_stream("/hello.GreeterStreams/SayHelloMany", m.serializer(m.ManyHellosRequest), m.deserializer(m.HelloReply))
    return {"messages": [r.message for r in call(m.ManyHellosRequest(name="python", count=3), timeout=TIMEOUT)]}


def client_streaming(channel):
    call = channel.stream_unary("/hello.GreeterStreams/SayHelloToAll", m.serializer(m.HelloRequest), m.deserializer(m.HelloReply))
    names = iter([m.HelloRequest(name=n) for n in ("ann", "bob", "cy")])
    return {"message": call(names, timeout=TIMEOUT).message}


def bidi(channel):
    call = channel.stream_stream("/hello.GreeterStreams/Chat", m.serializer(m.HelloRequest), m.deserializer(m.HelloReply))
    names = iter([m.HelloRequest(name=n) for n in ("dee", "eve")])
    return {"messages": [r.message for r in call(names, timeout=TIMEOUT)]}


def deadline(channel):
    call = channel.unary_unary("/hello.Greeter/SayHello", m.serializer(m.HelloRequest), m.deserializer(m.HelloReply))
    return {"message": call(m.HelloRequest(name="late"), timeout=0.5, metadata=(("x-delay-ms", "10000"),)).message}


def fail(channel):
    call = channel.unary_unary("/hello.Greeter/SayHello", m.serializer(m.HelloRequest), m.deserializer(m.HelloReply))
    # 5 is NOT_FOUND.
    return {"message": call(m.HelloRequest(name="fail"), timeout=TIMEOUT, metadata=(("x-fail-code", "5"),)).message}


def health(channel):
    call = channel.unary_unary("/grpc.health.v1.Health/Check", m.serializer(m.HealthCheckRequest), m.deserializer(m.HealthCheckResponse))
    statuses = {}
    for service in ("", "hello.Greeter", "hello.GreeterStreams"):
        statuses[service] = call(m.HealthCheckRequest(service=service), timeout=TIMEOUT).status
    try:
        call(m.HealthCheckRequest(service="no.Such"), timeout=TIMEOUT)
        statuses["no.Such"] = "answered"
    except grpc.RpcError as e:
        statuses["no.Such"] = e.code().name
    return {"statuses": statuses}


def reflection(channel):
    call = channel.stream_stream(
        "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo",
        m.serializer(m.ServerReflectionRequest), m.deserializer(m.ServerReflectionResponse))
    requests = iter([
        m.ServerReflectionRequest(list_services=""),
        m.ServerReflectionRequest(file_containing_symbol="hello.Greeter"),
    ])
    services, files = [], []
    for response in call(requests, timeout=TIMEOUT):
        kind = response.WhichOneof("message_response")
        if kind == "list_services_response":
            services = [s.name for s in response.list_services_response.service]
        elif kind == "file_descriptor_response":
            from google.protobuf import descriptor_pb2
            for raw in response.file_descriptor_response.file_descriptor_proto:
                files.append(descriptor_pb2.FileDescriptorProto.FromString(raw).name)
        elif kind == "error_response":
            files.append("error: " + response.error_response.error_message)
    return {"services": sorted(services), "files": sorted(files)}


CASES = {f.__name__: f for f in (unary, server_streaming, client_streaming, bidi, deadline, fail, health, reflection)}


def main():
    if len(sys.argv) != 3 or sys.argv[2] not in CASES:
        sys.stderr.write("usage: interop_client.py HOST:PORT {%s}\n" % ",".join(CASES))
        return 2
    with grpc.insecure_channel(sys.argv[1]) as channel:
        try:
            result = CASES[sys.argv[2]](channel)
        except grpc.RpcError as e:
            result = {"code": e.code().name, "details": e.details()}
    print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
