package dev.gatehouse.authserver.mfa;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;

/**
 * A QR code, encoded by ZXing on the server and drawn by the page's template as SVG
 * squares: the secret never goes to an image service, and the page needs no script.
 *
 * @param size modules per side, including the quiet zone
 * @param modules the dark modules
 */
public record QrCode(int size, List<Module> modules) {

    private static final int QUIET_ZONE = 2;

    /** Encodes {@code text}. */
    public static QrCode of(String text) {
        try {
            BitMatrix matrix = new QRCodeWriter().encode(text, BarcodeFormat.QR_CODE, 0, 0,
                    Map.of(EncodeHintType.ERROR_CORRECTION, ErrorCorrectionLevel.M, EncodeHintType.MARGIN, QUIET_ZONE));
            List<Module> modules = new ArrayList<>();
            for (int y = 0; y < matrix.getHeight(); y++) {
                for (int x = 0; x < matrix.getWidth(); x++) {
                    if (matrix.get(x, y)) {
                        modules.add(new Module(x, y));
                    }
                }
            }
            return new QrCode(matrix.getWidth(), modules);
        }
        catch (WriterException ex) {
            throw new IllegalArgumentException("Text too long for a QR code", ex);
        }
    }

    /** One dark square. */
    public record Module(int x, int y) {
    }

}
