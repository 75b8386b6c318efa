#pragma once
// PostgreSQL array literals for the text parameters of one multi-row statement
// (unnest($1::bigint[], ...)): values are numbers or text, NULL is written as NULL.
#include <cmath>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "analysis/features.hpp"

namespace sonique::analysis::pg {

// {"a","b",NULL}: every element quoted, with " and \ escaped.
inline std::string text_array(const std::vector<std::optional<std::string>>& values) {
    std::string out = "{";
    for (size_t i = 0; i < values.size(); ++i) {
        if (i > 0) out += ',';
        if (!values[i]) {
            out += "NULL";
            continue;
        }
        out += '"';
        for (char c : *values[i]) {
            if (c == '"' || c == '\\') out += '\\';
            out += c;
        }
        out += '"';
    }
    return out + "}";
}

// A number as array text, NULL when absent.
inline std::optional<std::string> number(std::optional<double> v) {
    if (!v || !std::isfinite(*v)) return std::nullopt;
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.17g", *v);
    return std::string(buf);
}

// A feature vector as the text of a real[] ({1.5,2,...}); a value that is not finite is
// stored as 0 so that one bad figure never loses a row.
inline std::string real_array(const FeatureVector& v) {
    std::string out = "{";
    char buf[32];
    for (size_t i = 0; i < v.size(); ++i) {
        std::snprintf(buf, sizeof buf, "%s%.9g", i > 0 ? "," : "",
                      std::isfinite(v[i]) ? static_cast<double>(v[i]) : 0.0);
        out += buf;
    }
    return out + "}";
}

}  // namespace sonique::analysis::pg
