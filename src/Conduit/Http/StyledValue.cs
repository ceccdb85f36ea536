using System;
using System.Collections.Generic;
using System.Text;

namespace Conduit.Http;

/// <summary>OpenAPI parameter serialization (style and explode), with percent-encoding.</summary>
internal static class StyledValue
{
    public static List<string> FormatAll<T>(IEnumerable<T> values, Func<T, string> format)
    {
        var all = new List<string>();
        foreach (var value in values)
        {
            all.Add(value is null ? string.Empty : format(value));
        }

        return all;
    }

    /// <summary>A path segment value for a scalar (one element) or a list.</summary>
    public static string Path(string name, IReadOnlyList<string> values, ParameterStyle style, bool explode, bool isList)
    {
        var text = new StringBuilder();
        switch (style)
        {
            case ParameterStyle.Label:
                text.Append('.');
                AppendJoined(text, values, explode ? "." : ",");
                break;
            case ParameterStyle.Matrix when explode && isList:
                foreach (var value in values)
                {
                    text.Append(';').Append(Escape(name)).Append('=').Append(Escape(value));
                }

                break;
            case ParameterStyle.Matrix:
                text.Append(';').Append(Escape(name));
                if (values.Count > 0 && !(values.Count == 1 && values[0].Length == 0 && !isList))
                {
                    text.Append('=');
                }

                AppendJoined(text, values, ",");
                break;
            default:
                AppendJoined(text, values, ",");
                break;
        }

        return text.ToString();
    }

    /// <summary>A path segment value for an object.</summary>
    public static string PathObject(string name, IEnumerable<KeyValuePair<string, string>> members, ParameterStyle style, bool explode)
    {
        var pairSeparator = explode ? "=" : ",";
        return style switch
        {
            ParameterStyle.Label => "." + JoinMembers(members, pairSeparator, explode ? "." : ",", Escape),
            ParameterStyle.Matrix when explode => ";" + JoinMembers(members, "=", ";", Escape),
            ParameterStyle.Matrix => ";" + Escape(name) + "=" + JoinMembers(members, ",", ",", Escape),
            _ => JoinMembers(members, pairSeparator, ",", Escape),
        };
    }

    public static void AppendQuery(StringBuilder query, string name, string value, bool allowReserved)
    {
        if (query.Length > 0)
        {
            query.Append('&');
        }

        query.Append(Escape(name)).Append('=').Append(allowReserved ? EscapeQueryKeepReserved(value) : Escape(value));
    }

    /// <summary>The separator of a non-exploded query list or object, already percent-encoded where needed.</summary>
    private static string Delimiter(ParameterStyle style) => style switch
    {
        ParameterStyle.SpaceDelimited => "%20",
        ParameterStyle.PipeDelimited => "%7C",
        _ => ",",
    };

    public static void AppendQueryList(StringBuilder query, string name, IReadOnlyList<string> values, ParameterStyle style, bool explode, bool allowReserved)
    {
        if (explode && style == ParameterStyle.Form)
        {
            foreach (var value in values)
            {
                AppendQuery(query, name, value, allowReserved);
            }

            return;
        }

        var separator = Delimiter(style);
        if (query.Length > 0)
        {
            query.Append('&');
        }

        query.Append(Escape(name)).Append('=');
        for (var i = 0; i < values.Count; i++)
        {
            if (i > 0)
            {
                query.Append(separator);
            }

            query.Append(allowReserved ? EscapeQueryKeepReserved(values[i]) : Escape(values[i]));
        }
    }

    public static void AppendQueryObject(StringBuilder query, string name, IEnumerable<KeyValuePair<string, string>> members, ParameterStyle style, bool explode, bool allowReserved)
    {
        if (style == ParameterStyle.DeepObject)
        {
            foreach (var member in members)
            {
                AppendQuery(query, name + "[" + member.Key + "]", member.Value, allowReserved);
            }

            return;
        }

        if (explode)
        {
            foreach (var member in members)
            {
                AppendQuery(query, member.Key, member.Value, allowReserved);
            }

            return;
        }

        if (query.Length > 0)
        {
            query.Append('&');
        }

        var separator = Delimiter(style);
        query.Append(Escape(name)).Append('=').Append(JoinMembers(members, separator, separator, allowReserved ? EscapeQueryKeepReserved : Escape));
    }

    public static string JoinMembers(IEnumerable<KeyValuePair<string, string>> members, string pairSeparator, string separator, Func<string, string> encode)
    {
        var text = new StringBuilder();
        foreach (var member in members)
        {
            if (text.Length > 0)
            {
                text.Append(separator);
            }

            text.Append(encode(member.Key)).Append(pairSeparator).Append(encode(member.Value));
        }

        return text.ToString();
    }

    private static void AppendJoined(StringBuilder text, IReadOnlyList<string> values, string separator)
    {
        for (var i = 0; i < values.Count; i++)
        {
            if (i > 0)
            {
                text.Append(separator);
            }

            text.Append(Escape(values[i]));
        }
    }

    public static string Escape(string value) => Uri.EscapeDataString(value);

    public static string Verbatim(string value) => value;

    /// <summary>
    /// Percent-encodes all but RFC 3986 reserved characters and existing percent-encoded triples
    /// (<c>allowReserved: true</c>, RFC 6570 reserved expansion). <c>#</c>, <c>[</c> and <c>]</c> are still
    /// encoded: they cannot appear in a query (a <c>#</c> would end the URL there).
    /// </summary>
    private static string EscapeQueryKeepReserved(string value)
    {
        const string Reserved = ":/?@!$&'()*+,;=";
        var text = new StringBuilder(value.Length);
        var run = 0;
        for (var i = 0; i <= value.Length; i++)
        {
            var keep = i < value.Length && (Reserved.Contains(value[i], StringComparison.Ordinal) || IsEncodedTriple(value, i));
            if (i == value.Length || keep)
            {
                // Escape the run of ordinary characters before this reserved one as a whole, so
                // surrogate pairs stay together.
                text.Append(Uri.EscapeDataString(value.Substring(run, i - run)));
                if (i < value.Length)
                {
                    text.Append(value[i]);
                }

                run = i + 1;
            }
        }

        return text.ToString();
    }

    private static bool IsEncodedTriple(string value, int i)
        => value[i] == '%' && i + 2 < value.Length && Uri.IsHexDigit(value[i + 1]) && Uri.IsHexDigit(value[i + 2]);
}
