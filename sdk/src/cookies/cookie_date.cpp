#include "cookies/cookie_date.hpp"

#include <array>
#include <cstdint>

#include "http/ascii.hpp"

namespace tether::cookies {
namespace {

// delimiter = %x09 / %x20-2F / %x3B-40 / %x5B-60 / %x7B-7E
bool is_delimiter(unsigned char c) {
  return c == 0x09 || (c >= 0x20 && c <= 0x2F) || (c >= 0x3B && c <= 0x40) ||
         (c >= 0x5B && c <= 0x60) || (c >= 0x7B && c <= 0x7E);
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Reads min..max digits from the front of `text` that are not followed by another digit, the
// shape of time-field, day-of-month and year ("1*2DIGIT ( non-digit *OCTET )").
std::optional<int> take_digits(std::string_view& text, std::size_t min, std::size_t max) {
  std::size_t count = 0;
  int value = 0;
  while (count < text.size() && is_digit(text[count])) {
    if (++count > max) return std::nullopt;
    value = value * 10 + (text[count - 1] - '0');
  }
  if (count < min) return std::nullopt;
  text.remove_prefix(count);
  return value;
}

std::optional<int> match_number(std::string_view token, std::size_t min, std::size_t max) {
  return take_digits(token, min, max);
}

struct TimeOfDay {
  int hour;
  int minute;
  int second;
};

// time = hms-time ( non-digit *OCTET ); hms-time = time-field ":" time-field ":" time-field
std::optional<TimeOfDay> match_time(std::string_view token) {
  const auto hour = take_digits(token, 1, 2);
  if (!hour || token.empty() || token.front() != ':') return std::nullopt;
  token.remove_prefix(1);
  const auto minute = take_digits(token, 1, 2);
  if (!minute || token.empty() || token.front() != ':') return std::nullopt;
  token.remove_prefix(1);
  const auto second = take_digits(token, 1, 2);
  if (!second) return std::nullopt;
  return TimeOfDay{*hour, *minute, *second};
}

// month = ( "jan" / "feb" / ... / "dec" ) *OCTET, case-insensitively; 1 to 12.
std::optional<int> match_month(std::string_view token) {
  static constexpr std::array<std::string_view, 12> names = {
      "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"};
  if (token.size() < 3) return std::nullopt;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (http::ascii_iequals(token.substr(0, 3), names[i])) return static_cast<int>(i) + 1;
  }
  return std::nullopt;
}

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
std::int64_t days_from_civil(std::int64_t year, int month, int day) {
  year -= month <= 2 ? 1 : 0;
  const std::int64_t era = (year >= 0 ? year : year - 399) / 400;
  const std::int64_t year_of_era = year - era * 400;
  const std::int64_t day_of_year = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  const std::int64_t day_of_era =
      year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + day_of_era - 719468;
}

int days_in_month(int year, int month) {
  static constexpr std::array<int, 12> days = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : days[static_cast<std::size_t>(month - 1)];
}

}  // namespace

std::optional<CookieTime> parse_cookie_date(std::string_view text) {
  std::optional<TimeOfDay> time;
  std::optional<int> day_of_month;
  std::optional<int> month;
  std::optional<int> year;

  std::size_t position = 0;
  while (position < text.size()) {
    while (position < text.size() && is_delimiter(static_cast<unsigned char>(text[position]))) {
      ++position;
    }
    const std::size_t start = position;
    while (position < text.size() && !is_delimiter(static_cast<unsigned char>(text[position]))) {
      ++position;
    }
    const std::string_view token = text.substr(start, position - start);
    if (token.empty()) break;

    // Each token fills the first of the four slots it matches, in this order (step 2).
    if (!time && (time = match_time(token))) continue;
    if (!day_of_month && (day_of_month = match_number(token, 1, 2))) continue;
    if (!month && (month = match_month(token))) continue;
    if (!year) year = match_number(token, 2, 4);
  }

  if (!time || !day_of_month || !month || !year) return std::nullopt;
  int full_year = *year;
  if (full_year >= 70 && full_year <= 99) full_year += 1900;
  if (full_year >= 0 && full_year <= 69) full_year += 2000;
  if (*day_of_month < 1 || *day_of_month > 31 || full_year < 1601 || time->hour > 23 ||
      time->minute > 59 || time->second > 59) {
    return std::nullopt;
  }
  if (*day_of_month > days_in_month(full_year, *month)) return std::nullopt;

  const std::int64_t seconds = days_from_civil(full_year, *month, *day_of_month) * 86400 +
                               std::int64_t{time->hour} * 3600 + std::int64_t{time->minute} * 60 +
                               time->second;
  return CookieTime{std::chrono::seconds{seconds}};
}

}  // namespace tether::cookies
