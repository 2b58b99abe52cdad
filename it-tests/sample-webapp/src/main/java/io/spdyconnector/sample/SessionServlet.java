package io.spdyconnector.sample;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

import java.io.IOException;

/** {@code GET /session}: how often this session has been seen, 1 on the first request. */
public class SessionServlet extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        HttpSession session = req.getSession();
        int count;
        synchronized (session) {
            Integer seen = (Integer) session.getAttribute("count");
            count = seen == null ? 1 : seen + 1;
            session.setAttribute("count", count);
        }
        resp.setContentType("text/plain");
        resp.getWriter().write(Integer.toString(count));
    }
}
