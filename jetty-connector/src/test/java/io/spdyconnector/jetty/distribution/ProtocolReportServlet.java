package io.spdyconnector.jetty.distribution;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/**
 * A plain servlet of the test web application: it tells how its request arrived, and at
 * {@code /remote} from which address. It names the SPDY request attribute by its value, as a web
 * application that does not link against the connector would.
 */
public class ProtocolReportServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setContentType("text/plain;charset=utf-8");
        if ("/remote".equals(req.getServletPath())) {
            resp.getWriter().print(req.getRemoteAddr() + ":" + req.getRemotePort());
            return;
        }
        resp.getWriter().print(req.getProtocol() + " " + req.getScheme() + " " + req.isSecure() + " "
                + req.getAttribute("io.spdyconnector.version"));
    }
}
