// The rematch report as one self-contained HTML page (no scripts, no
// external files): charts as inline SVG — coverage per municipality, score
// histograms, the fairness comparison, plain top-k vs allocation — with the
// figures as tables beside them (`jobmatch rematch-report --html FILE`).
#ifndef JOBMATCH_CLIENTS_CLI_REMATCH_REPORT_HTML_H_
#define JOBMATCH_CLIENTS_CLI_REMATCH_REPORT_HTML_H_

#include <string>

#include "jobmatch/v1/rematch_service.pb.h"

namespace jobmatch::cli {

std::string RenderReportHtml(const v1::RematchReport& report);

// Text safe inside HTML elements and attribute values.
std::string HtmlEscape(const std::string& text);

}  // namespace jobmatch::cli

#endif  // JOBMATCH_CLIENTS_CLI_REMATCH_REPORT_HTML_H_
