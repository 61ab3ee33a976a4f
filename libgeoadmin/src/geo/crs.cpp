#include "geoadmin/geo/crs.hpp"

#include <ogr_spatialref.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>

#include "geoadmin/core/error.hpp"
#include "io/gdal_util.hpp"

namespace geoadmin {

namespace detail {
struct CrsImpl {
    OGRSpatialReference srs;
    bool gcj02 = false;
};
struct TransformImpl {
    std::unique_ptr<OGRCoordinateTransformation> ct;
    bool gcj02_source = false;
    bool identity = false;
};
}  // namespace detail

// ---------------------------------------------------------------- zones and forms

std::optional<GkZone> gk_zone_from_prefixed_easting(double easting) {
    if (!std::isfinite(easting) || easting < 1.0e7 || easting >= 1.0e8)
        return std::nullopt;
    int prefix = static_cast<int>(easting / 1.0e6);
    double rest = easting - prefix * 1.0e6;
    // Within a zone the easting stays within about +-400 km of the 500 km false easting.
    if (rest < 50'000.0 || rest > 950'000.0)
        return std::nullopt;
    if (prefix >= 13 && prefix <= 23)
        return GkZone{6, prefix};
    if (prefix >= 24 && prefix <= 45)
        return GkZone{3, prefix};
    return std::nullopt;
}

GkZone gk_zone_for_longitude(double lon, int width) {
    if (width == 6)
        return GkZone{6, static_cast<int>(std::floor(lon / 6.0)) + 1};
    return GkZone{3, static_cast<int>(std::lround(lon / 3.0))};
}

GkUsableRange gk_usable_range(const GkZone& zone, double west_strip_deg, double east_strip_deg) {
    const double half = zone.width / 2.0;
    return {zone.central_meridian() - half - west_strip_deg,
            zone.central_meridian() + half + east_strip_deg};
}

bool gk_easting_in_range(double prefixed_easting, double northing, const GkZone& zone,
                         const GkUsableRange& range) {
    if (!std::isfinite(prefixed_easting) || !std::isfinite(northing))
        return false;
    const double offset = prefixed_easting - zone.zone * 1.0e6 - 500'000.0;  // metres east
    // Latitude from the northing (110.9 km a degree to within 0.3 % over China), then the
    // length of a degree of longitude there.
    const double lat = std::clamp(northing / 110'900.0, -89.0, 89.0);
    const double per_degree = 111'320.0 * std::cos(lat * M_PI / 180.0);
    const double lon = zone.central_meridian() + offset / per_degree;
    return range.contains(lon);
}

int cgcs2000_gk_epsg(const GkZone& zone, bool prefixed) {
    if (zone.width == 6 && zone.zone >= 13 && zone.zone <= 23) {
        return (prefixed ? 4491 : 4502) + (zone.zone - 13);
    }
    if (zone.width == 3 && zone.zone >= 25 && zone.zone <= 45) {
        return (prefixed ? 4513 : 4534) + (zone.zone - 25);
    }
    return 0;
}

bool in_china_lonlat(double lon, double lat) {
    return lon >= 73.0 && lon <= 136.0 && lat >= 3.0 && lat <= 54.0;
}

namespace {
// Northings of China: about 330 km (3 N) to 6 000 km (54 N).
bool is_northing(double v) {
    return v >= 300'000.0 && v <= 6'100'000.0;
}
bool is_plain_easting(double v) {
    return v >= 50'000.0 && v <= 950'000.0;
}
}  // namespace

CoordClass classify_coordinate(double x, double y) {
    if (!std::isfinite(x) || !std::isfinite(y))
        return {};
    if (in_china_lonlat(x, y))
        return {CoordForm::geographic, false};
    if (in_china_lonlat(y, x))
        return {CoordForm::geographic, true};
    if (gk_zone_from_prefixed_easting(x) && is_northing(y))
        return {CoordForm::gk_prefixed, false};
    if (gk_zone_from_prefixed_easting(y) && is_northing(x))
        return {CoordForm::gk_prefixed, true};
    if (is_plain_easting(x) && is_northing(y))
        return {CoordForm::gk_plain, false};
    // A plain easting is below 1 000 km; a northing above it means the two are exchanged.
    if (is_plain_easting(y) && is_northing(x) && x > 1'000'000.0) {
        return {CoordForm::gk_plain, true};
    }
    return {};
}

const char* to_string(CoordForm form) {
    switch (form) {
        case CoordForm::geographic:
            return "geographic";
        case CoordForm::gk_prefixed:
            return "gk_prefixed";
        case CoordForm::gk_plain:
            return "gk_plain";
        case CoordForm::unknown:
            return "unknown";
    }
    return "unknown";
}

// ---------------------------------------------------------------- GCJ-02

namespace {
constexpr double kPi = 3.14159265358979323846;
constexpr double kKrasovskyA = 6378245.0;
constexpr double kKrasovskyEE = 0.00669342162296594323;

bool gcj_applies(double lon, double lat) {
    return lon >= 72.004 && lon <= 137.8347 && lat >= 0.8293 && lat <= 55.8271;
}

double gcj_lat(double x, double y) {
    double r =
        -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * std::sqrt(std::fabs(x));
    r += (20.0 * std::sin(6.0 * x * kPi) + 20.0 * std::sin(2.0 * x * kPi)) * 2.0 / 3.0;
    r += (20.0 * std::sin(y * kPi) + 40.0 * std::sin(y / 3.0 * kPi)) * 2.0 / 3.0;
    r += (160.0 * std::sin(y / 12.0 * kPi) + 320.0 * std::sin(y * kPi / 30.0)) * 2.0 / 3.0;
    return r;
}

double gcj_lon(double x, double y) {
    double r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * std::sqrt(std::fabs(x));
    r += (20.0 * std::sin(6.0 * x * kPi) + 20.0 * std::sin(2.0 * x * kPi)) * 2.0 / 3.0;
    r += (20.0 * std::sin(x * kPi) + 40.0 * std::sin(x / 3.0 * kPi)) * 2.0 / 3.0;
    r += (150.0 * std::sin(x / 12.0 * kPi) + 300.0 * std::sin(x / 30.0 * kPi)) * 2.0 / 3.0;
    return r;
}

void gcj_offset(double lon, double lat, double& dlon, double& dlat) {
    double dy = gcj_lat(lon - 105.0, lat - 35.0);
    double dx = gcj_lon(lon - 105.0, lat - 35.0);
    double rad = lat / 180.0 * kPi;
    double magic = 1.0 - kKrasovskyEE * std::sin(rad) * std::sin(rad);
    double sqrt_magic = std::sqrt(magic);
    dlat = (dy * 180.0) / ((kKrasovskyA * (1.0 - kKrasovskyEE)) / (magic * sqrt_magic) * kPi);
    dlon = (dx * 180.0) / (kKrasovskyA / sqrt_magic * std::cos(rad) * kPi);
}
}  // namespace

void cgcs2000_to_gcj02(double& lon, double& lat) {
    if (!gcj_applies(lon, lat))
        return;
    double dlon = 0, dlat = 0;
    gcj_offset(lon, lat, dlon, dlat);
    lon += dlon;
    lat += dlat;
}

void gcj02_to_cgcs2000(double& lon, double& lat) {
    if (!gcj_applies(lon, lat))
        return;
    const double target_lon = lon;
    const double target_lat = lat;
    double wlon = lon;
    double wlat = lat;
    for (int i = 0; i < 30; ++i) {
        double glon = wlon;
        double glat = wlat;
        cgcs2000_to_gcj02(glon, glat);
        double elon = target_lon - glon;
        double elat = target_lat - glat;
        wlon += elon;
        wlat += elat;
        if (std::fabs(elon) < 1e-10 && std::fabs(elat) < 1e-10)
            break;
    }
    lon = wlon;
    lat = wlat;
}

// ---------------------------------------------------------------- Crs

Crs::Crs() = default;
Crs::~Crs() = default;
Crs::Crs(const Crs&) = default;
Crs& Crs::operator=(const Crs&) = default;

namespace {
std::shared_ptr<detail::CrsImpl> new_impl() {
    detail::ensure_gdal();
    auto impl = std::make_shared<detail::CrsImpl>();
    impl->srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    return impl;
}

std::string upper(std::string s) {
    for (auto& c : s)
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return s;
}

// Attach an EPSG code when the definition lacks one but matches an EPSG CRS.
void identify(OGRSpatialReference& srs) {
    if (srs.GetAuthorityCode(nullptr) != nullptr)
        return;
    OGRSpatialReference* match = srs.FindBestMatch(90);
    if (match != nullptr) {
        match->SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
        srs = *match;
        delete match;
    }
}
}  // namespace

Crs Crs::from_user_input(const std::string& text,
                         const std::optional<std::array<double, 7>>& towgs84) {
    Crs crs;
    crs.m_impl = new_impl();
    std::string u = upper(text);
    if (u == "GCJ02" || u == "GCJ-02" || u == "GCJ") {
        crs.m_impl->srs.importFromEPSG(4326);
        crs.m_impl->gcj02 = true;
        return crs;
    }
    detail::GdalCapture capture;
    // A file (a .prj beside other data, a WKT or PROJ string saved to a file): its text.
    // GDAL itself is not let open files named in input (nor URLs).
    std::string definition = text;
    std::error_code ec;
    if (std::filesystem::is_regular_file(text, ec)) {
        constexpr std::uintmax_t kMaxCrsFile = 1U << 20;
        if (std::filesystem::file_size(text, ec) > kMaxCrsFile)
            throw UsageError("'" + text + "' is too large to be a CRS definition (over 1 MB)");
        std::ifstream in(text, std::ios::binary);
        definition.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
        while (!definition.empty() &&
               std::isspace(static_cast<unsigned char>(definition.back())) != 0)
            definition.pop_back();
    }
    if (crs.m_impl->srs.SetFromUserInput(
            definition.c_str(), OGRSpatialReference::SET_FROM_USER_INPUT_LIMITATIONS_get()) !=
        OGRERR_NONE) {
        std::string why = capture.last_error();
        throw UsageError("'" + text + "' is not a coordinate reference system" +
                         (why.empty() ? std::string() : " (" + why + ")") +
                         "; use for example EPSG:4490, EPSG:4527 or GCJ02");
    }
    if (towgs84) {
        const auto& p = *towgs84;
        if (crs.m_impl->srs.SetTOWGS84(p[0], p[1], p[2], p[3], p[4], p[5], p[6]) != OGRERR_NONE) {
            throw UsageError("cannot attach --towgs84 parameters to '" + text + "'");
        }
    }
    return crs;
}

Crs Crs::from_wkt(const std::string& wkt) {
    Crs crs;
    if (wkt.empty())
        return crs;
    auto impl = new_impl();
    detail::GdalCapture capture;
    if (impl->srs.importFromWkt(wkt.c_str()) != OGRERR_NONE)
        return crs;
    identify(impl->srs);
    crs.m_impl = impl;
    return crs;
}

Crs Crs::cgcs2000() {
    return from_user_input("EPSG:4490");
}

Crs Crs::gauss_kruger(const GkZone& zone, bool prefixed) {
    int code = cgcs2000_gk_epsg(zone, prefixed);
    if (code != 0)
        return from_user_input("EPSG:" + std::to_string(code));
    std::ostringstream proj;
    proj.precision(12);
    proj << "+proj=tmerc +lat_0=0 +lon_0=" << zone.central_meridian()
         << " +k=1 +x_0=" << (prefixed ? zone.zone * 1.0e6 + 500000.0 : 500000.0)
         << " +y_0=0 +ellps=GRS80 +units=m +no_defs +type=crs";
    return from_user_input(proj.str());
}

bool Crs::empty() const {
    return !m_impl;
}

std::string Crs::name() const {
    if (!m_impl)
        return "";
    if (m_impl->gcj02)
        return "GCJ-02";
    const char* n = m_impl->srs.GetName();
    return n != nullptr ? n : "";
}

std::string Crs::authority_code() const {
    if (!m_impl || m_impl->gcj02)
        return "";
    const char* auth = m_impl->srs.GetAuthorityName(nullptr);
    const char* code = m_impl->srs.GetAuthorityCode(nullptr);
    if (auth == nullptr || code == nullptr)
        return "";
    return std::string(auth) + ":" + code;
}

bool Crs::is_geographic() const {
    return m_impl && (m_impl->srs.IsGeographic() != 0);
}
bool Crs::is_projected() const {
    return m_impl && (m_impl->srs.IsProjected() != 0);
}
bool Crs::is_gcj02() const {
    return m_impl && m_impl->gcj02;
}

std::optional<GkZone> Crs::gk_zone() const {
    if (!m_impl || (m_impl->srs.IsProjected() == 0))
        return std::nullopt;
    const OGRSpatialReference& s = m_impl->srs;
    const char* method = s.GetAttrValue("PROJECTION");
    if (method == nullptr || std::string(method) != SRS_PT_TRANSVERSE_MERCATOR)
        return std::nullopt;
    double k = s.GetNormProjParm(SRS_PP_SCALE_FACTOR, 1.0);
    double cm = s.GetNormProjParm(SRS_PP_CENTRAL_MERIDIAN, 0.0);
    double fe = s.GetNormProjParm(SRS_PP_FALSE_EASTING, 0.0);
    if (std::fabs(k - 1.0) > 1e-9 || std::fabs(cm / 3.0 - std::round(cm / 3.0)) > 1e-9) {
        return std::nullopt;
    }
    if (std::fabs(fe - 500000.0) < 1e-3) {
        std::string n = name();
        bool six = n.find("3-degree") == std::string::npos &&
                   n.find("3 degree") == std::string::npos && std::lround(cm + 3.0) % 6 == 0;
        return six ? GkZone{6, static_cast<int>(std::lround((cm + 3.0) / 6.0))}
                   : GkZone{3, static_cast<int>(std::lround(cm / 3.0))};
    }
    auto zone = gk_zone_from_prefixed_easting(fe);
    if (!zone)
        return std::nullopt;
    return zone;
}

bool Crs::gk_prefixed() const {
    if (!gk_zone())
        return false;
    return std::fabs(m_impl->srs.GetNormProjParm(SRS_PP_FALSE_EASTING, 0.0) - 500000.0) > 1e-3;
}

std::string Crs::wkt() const {
    if (!m_impl)
        return "";
    char* out = nullptr;
    const char* options[] = {"FORMAT=WKT2_2019", "MULTILINE=NO", nullptr};
    m_impl->srs.exportToWkt(&out, options);
    std::string s = out != nullptr ? out : "";
    CPLFree(out);
    return s;
}

std::array<double, 7> parse_towgs84(const std::string& text) {
    std::array<double, 7> p{};
    std::stringstream in(text);
    std::string item;
    std::size_t n = 0;
    while (std::getline(in, item, ',')) {
        if (n >= 7)
            break;
        try {
            std::size_t used = 0;
            p[n] = std::stod(item, &used);
            if (item.find_first_not_of(" \t", used) != std::string::npos)
                throw std::invalid_argument("");
        } catch (const std::exception&) {
            throw UsageError("--towgs84: '" + item + "' is not a number");
        }
        ++n;
    }
    if (n != 7 || std::getline(in, item, ',')) {
        throw UsageError(
            "--towgs84 takes seven numbers: dx,dy,dz (m),rx,ry,rz (arc-seconds),ds (ppm)");
    }
    return p;
}

// ---------------------------------------------------------------- transforms

namespace {
std::unique_ptr<detail::TransformImpl> make_transform(const Crs& from, const Crs& to) {
    auto t = std::make_unique<detail::TransformImpl>();
    detail::GdalCapture capture;
    // Scans on several threads make their own transforms from shared CRS objects.
    static std::mutex creating;
    std::lock_guard<std::mutex> lock(creating);
    t->ct.reset(OGRCreateCoordinateTransformation(&from.impl()->srs, &to.impl()->srs));
    if (!t->ct) {
        std::string why = capture.last_error();
        throw Error("cannot transform from " + from.name() + " to " + to.name() +
                    (why.empty() ? std::string() : ": " + why));
    }
    return t;
}
}  // namespace

ToCgcs2000::ToCgcs2000(const Crs& source) {
    if (source.empty())
        throw Error("internal: transform from an empty CRS");
    Crs target = Crs::cgcs2000();
    if (source.is_gcj02()) {
        m_impl = std::make_unique<detail::TransformImpl>();
        m_impl->gcj02_source = true;
        return;
    }
    m_impl = make_transform(source, target);
}
ToCgcs2000::~ToCgcs2000() = default;
ToCgcs2000::ToCgcs2000(ToCgcs2000&&) noexcept = default;
ToCgcs2000& ToCgcs2000::operator=(ToCgcs2000&&) noexcept = default;

bool ToCgcs2000::transform(double& x, double& y) const {
    if (m_impl->gcj02_source) {
        gcj02_to_cgcs2000(x, y);
        return std::isfinite(x) && std::isfinite(y);
    }
    // No capture per point (it costs an allocation): the loops calling this hold one.
    return m_impl->ct->Transform(1, &x, &y) == TRUE && std::isfinite(x) && std::isfinite(y);
}

bool ToCgcs2000::transform_many(std::size_t n, double* x, double* y) const {
    if (m_impl->gcj02_source) {
        for (std::size_t i = 0; i < n; ++i)
            gcj02_to_cgcs2000(x[i], y[i]);
        return true;
    }
    if (n == 0)
        return true;
    detail::GdalCapture capture;
    return m_impl->ct->Transform(n, x, y) == TRUE;
}

// A box's bounds in CGCS2000 from points along its sides: the corners and three more a
// side, taken in one call. A feature's box (a township's, a county's) bends by centimetres
// within a Gauss–Krüger zone, and the bounds serve to place and tally features, not to
// measure them. (GDAL's TransformBounds does the same densified walk but sets up PROJ
// state on every call, which on a layer of 40,000 polygons cost seconds.)
constexpr int kBoundsDensify = 3;

bool ToCgcs2000::transform_bounds(double& minx, double& miny, double& maxx, double& maxy) const {
    if (m_impl->gcj02_source) {
        double x0 = minx, y0 = miny, x1 = maxx, y1 = maxy;
        gcj02_to_cgcs2000(x0, y0);
        gcj02_to_cgcs2000(x1, y1);
        minx = x0, miny = y0, maxx = x1, maxy = y1;
        return true;
    }
    constexpr int kSteps = kBoundsDensify + 1;
    constexpr std::size_t kPoints = std::size_t{4} * kSteps;
    std::array<double, kPoints> xs{}, ys{};
    for (int i = 0; i < kSteps; ++i) {
        const double f = static_cast<double>(i) / kSteps;
        xs[i] = minx + f * (maxx - minx), ys[i] = miny;                    // south, eastwards
        xs[kSteps + i] = maxx, ys[kSteps + i] = miny + f * (maxy - miny);  // east, northwards
        xs[2 * kSteps + i] = maxx - f * (maxx - minx), ys[2 * kSteps + i] = maxy;  // north
        xs[3 * kSteps + i] = minx, ys[3 * kSteps + i] = maxy - f * (maxy - miny);  // west
    }
    detail::GdalCapture capture;
    if (m_impl->ct->Transform(static_cast<int>(xs.size()), xs.data(), ys.data()) != TRUE)
        return false;
    minx = *std::min_element(xs.begin(), xs.end());
    maxx = *std::max_element(xs.begin(), xs.end());
    miny = *std::min_element(ys.begin(), ys.end());
    maxy = *std::max_element(ys.begin(), ys.end());
    return std::isfinite(minx) && std::isfinite(maxx) && std::isfinite(miny) && std::isfinite(maxy);
}

FromCgcs2000::FromCgcs2000(const Crs& target) : m_impl(make_transform(Crs::cgcs2000(), target)) {}
FromCgcs2000::~FromCgcs2000() = default;
FromCgcs2000::FromCgcs2000(FromCgcs2000&&) noexcept = default;
FromCgcs2000& FromCgcs2000::operator=(FromCgcs2000&&) noexcept = default;

bool FromCgcs2000::transform_many(std::size_t n, double* x, double* y) const {
    if (n == 0)
        return true;
    detail::GdalCapture capture;
    return m_impl->ct->Transform(n, x, y) == TRUE;
}

bool FromCgcs2000::transform(double& lon_x, double& lat_y) const {
    return m_impl->ct->Transform(1, &lon_x, &lat_y) == TRUE;
}

const FromCgcs2000& GkProjector::zone(int zone) {
    auto it = m_zones.find(zone);
    if (it == m_zones.end())
        it = m_zones.emplace(zone, FromCgcs2000(Crs::gauss_kruger({3, zone}, true))).first;
    return it->second;
}

}  // namespace geoadmin
