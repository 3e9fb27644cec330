"""Message classes for the interop scripts, built at run time from hand-written descriptors.

No protoc and no generated code: the few messages of hello.proto, grpc.health.v1 and
grpc.reflection.v1alpha are declared with descriptor_pb2 and turned into classes by
google.protobuf's message factory. Only the fields the scripts use are declared; the others
are kept as unknown fields when parsed.
"""
from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

F = descriptor_pb2.FieldDescriptorProto
_POOL = descriptor_pool.DescriptorPool()


def _field(message, name, number, kind, label=F.LABEL_OPTIONAL, type_name=None, oneof=None):
    field = message.field.add(name=name, number=number, type=kind, label=label)
    if type_name:
        field.type_name = type_name
    if oneof is not None:
        field.oneof_index = oneof
    return field


def _hello():
    file = descriptor_pb2.FileDescriptorProto(name="hello.proto", package="hello", syntax="proto3")
    request = file.message_type.add(name="HelloRequest")
    _field(request, "name", 1, F.TYPE_STRING)
    reply = file.message_type.add(name="HelloReply")
    _field(reply, "message", 1, F.TYPE_STRING)
    many = file.message_type.add(name="ManyHellosRequest")
    _field(many, "name", 1, F.TYPE_STRING)
    _field(many, "count", 2, F.TYPE_INT32)
    return file


def _health():
    file = descriptor_pb2.FileDescriptorProto(name="shoal_interop_health.proto", package="grpc.health.v1", syntax="proto3")
    request = file.message_type.add(name="HealthCheckRequest")
    _field(request, "service", 1, F.TYPE_STRING)
    response = file.message_type.add(name="HealthCheckResponse")
    _field(response, "status", 1, F.TYPE_INT32)
    return file


def _reflection():
    file = descriptor_pb2.FileDescriptorProto(name="shoal_interop_reflection.proto", package="grpc.reflection.v1alpha", syntax="proto3")
    request = file.message_type.add(name="ServerReflectionRequest")
    request.oneof_decl.add(name="message_request")
    _field(request, "host", 1, F.TYPE_STRING)
    _field(request, "file_by_filename", 3, F.TYPE_STRING, oneof=0)
    _field(request, "file_containing_symbol", 4, F.TYPE_STRING, oneof=0)
    _field(request, "list_services", 7, F.TYPE_STRING, oneof=0)

    files = file.message_type.add(name="FileDescriptorResponse")
    _field(files, "file_descriptor_proto", 1, F.TYPE_BYTES, label=F.LABEL_REPEATED)
    service = file.message_type.add(name="ServiceResponse")
    _field(service, "name", 1, F.TYPE_STRING)
    services = file.message_type.add(name="ListServiceResponse")
    _field(services, "service", 1, F.TYPE_MESSAGE, label=F.LABEL_REPEATED, type_name=".grpc.reflection.v1alpha.ServiceResponse")
    error = file.message_type.add(name="ErrorResponse")
    _field(error, "error_code", 1, F.TYPE_INT32)
    _field(error, "error_message", 2, F.TYPE_STRING)

    response = file.message_type.add(name="ServerReflectionResponse")
    response.oneof_decl.add(name="message_response")
    _field(response, "valid_host", 1, F.TYPE_STRING)
    _field(response, "file_descriptor_response", 4, F.TYPE_MESSAGE, type_name=".grpc.reflection.v1alpha.FileDescriptorResponse", oneof=0)
    _field(response, "list_services_response", 6, F.TYPE_MESSAGE, type_name=".grpc.reflection.v1alpha.ListServiceResponse", oneof=0)
    _field(response, "error_response", 7, F.TYPE_MESSAGE, type_name=".grpc.reflection.v1alpha.ErrorResponse", oneof=0)
    return file


for _file in (_hello(), _health(), _reflection()):
    _POOL.Add(_file)


def _class(full_name):
    descriptor = _POOL.FindMessageTypeByName(full_name)
    if hasattr(message_factory, "GetMessageClass"):
        return message_factory.GetMessageClass(descriptor)
    return message_factory.MessageFactory(_POOL).GetPrototype(descriptor)


HelloRequest = _class("hello.HelloRequest")
HelloReply = _class("hello.HelloReply")
ManyHellosRequest = _class("hello.ManyHellosRequest")
HealthCheckRequest = _class("grpc.health.v1.HealthCheckRequest")
HealthCheckResponse = _class("grpc.health.v1.HealthCheckResponse")
ServerReflectionRequest = _class("grpc.reflection.v1alpha.ServerReflectionRequest")
ServerReflectionResponse = _class("grpc.reflection.v1alpha.ServerReflectionResponse")


def serializer(message_class):
    return lambda message: message.SerializeToString()


def deserializer(message_class):
    return message_class.FromString
