namespace Conduit.Http;

/// <summary>How a parameter is serialized into a path, query, header or cookie (OpenAPI <c>style</c>).</summary>
public enum ParameterStyle
{
    /// <summary><c>simple</c>: comma-separated (path and header default).</summary>
    Simple,

    /// <summary><c>label</c>: a leading dot (<c>.a.b</c> exploded, <c>.a,b</c> otherwise).</summary>
    Label,

    /// <summary><c>matrix</c>: <c>;name=value</c>.</summary>
    Matrix,

    /// <summary><c>form</c>: <c>name=a&amp;name=b</c> exploded, <c>name=a,b</c> otherwise (query and cookie default).</summary>
    Form,

    /// <summary><c>spaceDelimited</c>: <c>name=a%20b</c>.</summary>
    SpaceDelimited,

    /// <summary><c>pipeDelimited</c>: <c>name=a|b</c>.</summary>
    PipeDelimited,

    /// <summary><c>deepObject</c>: <c>name[key]=value</c>.</summary>
    DeepObject,
}
