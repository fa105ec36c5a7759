// SPDX-License-Identifier: GPL-2.0-only
#include "base64.h"

#include <array>
#include <cstdint>

namespace klua {

static constexpr std::string_view alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static constexpr std::array<int8_t, 256> make_table()
{
    std::array<int8_t, 256> table{};
    for (auto& v : table)
        v = -1;
    for (std::size_t i = 0; i < alphabet.size(); ++i)
        table[static_cast<unsigned char>(alphabet[i])] = static_cast<int8_t>(i);
    return table;
}

static constexpr std::array<int8_t, 256> sextets = make_table();

std::optional<std::string> base64_decode(std::string_view text)
{
    if (text.size() % 4 != 0)
        return std::nullopt;
    std::string out;
    out.reserve(text.size() / 4 * 3);
    for (std::size_t i = 0; i < text.size(); i += 4) {
        bool last = i + 4 == text.size();
        int pad = 0;
        uint32_t group = 0;
        for (std::size_t j = 0; j < 4; ++j) {
            char c = text[i + j];
            int v;
            if (c == '=' && last && j >= 2 && (j == 3 || text[i + 3] == '=')) {
                ++pad;
                v = 0;
            } else {
                v = sextets[static_cast<unsigned char>(c)];
                if (v < 0 || pad)
                    return std::nullopt;
            }
            group = group << 6 | static_cast<uint32_t>(v);
        }
        // Bits under the padding must be zero, as an encoder writes them.
        if ((pad == 1 && (group & 0xff)) || (pad == 2 && (group & 0xffff)))
            return std::nullopt;
        out.push_back(static_cast<char>(group >> 16));
        if (pad < 2)
            out.push_back(static_cast<char>(group >> 8 & 0xff));
        if (pad < 1)
            out.push_back(static_cast<char>(group & 0xff));
    }
    return out;
}

std::string base64_encode(std::string_view bytes)
{
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    for (std::size_t i = 0; i < bytes.size(); i += 3) {
        std::size_t n = bytes.size() - i < 3 ? bytes.size() - i : 3;
        uint32_t group = 0;
        for (std::size_t j = 0; j < 3; ++j)
            group = group << 8 | (j < n ? static_cast<unsigned char>(bytes[i + j]) : 0u);
        for (std::size_t j = 0; j < 4; ++j)
            out.push_back(j <= n ? alphabet[group >> (18 - 6 * j) & 0x3f] : '=');
    }
    return out;
}

} // namespace klua
