"""A gRPC server written with python3-grpcio (no generated code) serving the Greeter contract.

usage: interop_server.py
Listens on 127.0.0.1 on a free port, prints "LISTENING <port>" and serves hello.Greeter and
hello.GreeterStreams until stdin closes or the process is killed. Honours the sample's headers:
x-fail-code (a status number) fails the call, x-delay-ms waits first.
"""
import sys
import time
from concurrent import futures

import grpc

import shoal_messages as m

CODES = {code.value[0]: code for code in grpc.StatusCode}


def _shape(context):
    headers = dict(context.invocation_metadata())
    if "x-delay-ms" in headers:
        time.sleep(int(headers["x-delay-ms"]) / 1000.0)
    if "x-fail-code" in headers:
        code = CODES.get(int(headers["x-fail-code"]), grpc.StatusCode.UNKNOWN)
        context.abort(code, "python failed the call with %s" % code.name)


def say_hello(request, context):
    _shape(context)
    return m.HelloReply(message="Hello " + request.name + " from python")


def say_hello_many(request, context):
    _shape(context)
    for i in range(1, (request.count or 3) + 1):
        yield m.HelloReply(message="Hello %s #%d from python" % (request.name, i))


def say_hello_to_all(request_iterator, context):
    names = [r.name for r in request_iterator]
    _shape(context)
    return m.HelloReply(message="Hello " + ", ".join(names) + " from python")


def chat(request_iterator, context):
    for request in request_iterator:
        yield m.HelloReply(message="Hello " + request.name + " from python")


def main():
    greeter = grpc.method_handlers_generic_handler("hello.Greeter", {
        "SayHello": grpc.unary_unary_rpc_method_handler(say_hello, m.deserializer(m.HelloRequest), m.serializer(m.HelloReply)),
    })
    streams = grpc.method_handlers_generic_handler("hello.GreeterStreams", {
        "SayHelloMany": grpc.unary_stream_rpc_method_handler(say_hello_many, m.deserializer(m.ManyHellosRequest), m.serializer(m.HelloReply)),
        "SayHelloToAll": grpc.stream_unary_rpc_method_handler(say_hello_to_all, m.deserializer(m.HelloRequest), m.serializer(m.HelloReply)),
        "Chat": grpc.stream_stream_rpc_method_handler(chat, m.deserializer(m.HelloRequest), m.serializer(m.HelloReply)),
    })
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=8), handlers=(greeter, streams))
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    print("LISTENING %d" % port, flush=True)
    # Serve until the parent closes stdin (or kills the process).
    sys.stdin.read()
    server.stop(grace=1).wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
