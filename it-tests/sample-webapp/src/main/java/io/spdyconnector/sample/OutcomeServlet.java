package io.spdyconnector.sample;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/** {@code GET /outcome?id=X}: what became of the request tagged {@code x-request-id: X} (404 if none was). */
public class OutcomeServlet extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String id = req.getParameter("id");
        String outcome = id == null ? null : RequestOutcomes.of(getServletContext()).get(id);
        if (outcome == null) {
            resp.sendError(HttpServletResponse.SC_NOT_FOUND, "no request was tagged " + id);
            return;
        }
        resp.setContentType("text/plain");
        resp.setCharacterEncoding("UTF-8");
        resp.getWriter().write(outcome);
    }
}
